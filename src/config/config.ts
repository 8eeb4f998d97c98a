import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { PriorsError } from '../core/errors.js';
import type { RootRequest } from '../core/types.js';
import { cacheRoot, envIndex } from './env.js';

// Built on first use: zod schemas cost their construction in every command's start-up, and without a config
// file (the usual case) nothing is validated.
let fileSchemaValue: ReturnType<typeof buildFileSchema> | undefined;
const fileSchema = () => (fileSchemaValue ??= buildFileSchema());

/**
 * Settings, lowest to highest precedence: built-in defaults, `~/.config/priors/config.json`,
 * `./priors.config.json`, environment variables, command-line flags (applied by each front end).
 */
function buildFileSchema() {
  return z
    .object({
      index: z.string(),
      corpus: z.string(),
      model: z.string(),
      modelDir: z.string(),
      reranker: z.string(),
      embedder: z.enum(['transformers', 'openai']),
      roots: z.array(
        z
          .object({
            path: z.string().min(1),
            name: z.string().min(1),
            urlTemplate: z.string(),
            book: z.string(),
            author: z.string(),
            publication: z.string(),
            urlAliases: z.array(z.string()),
          })
          .partial()
          .required({ path: true })
          .strict(),
      ),
      llm: z.object({ baseURL: z.string(), apiKey: z.string(), model: z.string() }).partial().strict(),
    })
    .partial()
    .strict();
}

type ConfigFile = z.infer<ReturnType<typeof buildFileSchema>>;

export interface PriorsConfig {
  index: string;
  corpus: string;
  /** Unset: the default model, or word vectors when it can't be loaded; an existing index keeps its own. */
  model: string | undefined;
  modelDir: string | undefined;
  /** `PRIORS_CACHE_DIR`, else `~/.cache/priors`: converted word vectors, eval indexes. */
  cacheDir: string;
  /** Cross-encoder for an optional rerank stage; none by default. */
  reranker: string | undefined;
  embedder: 'transformers' | 'openai';
  /** Roots with their settings (`{ path, name?, urlTemplate?, book?, author?, publication?, urlAliases? }`), read by a bare `priors ingest`. */
  roots: RootRequest[];
  llm: { baseURL: string | undefined; apiKey: string | undefined; model: string | undefined };
}

export function configFiles(cwd = process.cwd()): string[] {
  const xdg = process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config');
  return [path.join(xdg, 'priors', 'config.json'), path.join(cwd, 'priors.config.json')];
}

function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PriorsError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PriorsError(`${file}: ${issue ? `${issue.path.join('.') || 'config'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): PriorsConfig {
  let merged: ConfigFile = {};
  for (const file of configFiles(cwd)) {
    const next = readConfigFile(file);
    merged = { ...merged, ...next, llm: { ...merged.llm, ...next.llm } };
  }
  const embedder = env.PRIORS_EMBEDDER ?? merged.embedder ?? 'transformers';
  if (embedder !== 'transformers' && embedder !== 'openai') {
    throw new PriorsError(`PRIORS_EMBEDDER must be transformers or openai, not "${embedder}"`);
  }
  return {
    index: envIndex(env) ?? merged.index ?? 'index',
    corpus: env.PRIORS_CORPUS ?? merged.corpus ?? 'corpus',
    model: env.PRIORS_MODEL ?? merged.model,
    modelDir: env.PRIORS_MODEL_DIR ?? merged.modelDir,
    cacheDir: cacheRoot(env),
    reranker: env.PRIORS_RERANKER ?? merged.reranker,
    embedder,
    // Relative root paths are relative to the working directory, like paths on the command line.
    roots: merged.roots ?? [],
    llm: {
      baseURL: env.OPENAI_BASE_URL ?? merged.llm?.baseURL,
      apiKey: env.OPENAI_API_KEY ?? merged.llm?.apiKey,
      model: env.PRIORS_LLM_MODEL ?? merged.llm?.model,
    },
  };
}
