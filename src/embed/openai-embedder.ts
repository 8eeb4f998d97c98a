import OpenAI from 'openai';
import { openAIEnv } from '../config/env.js';
import { PriorsError, errorMessage } from '../core/errors.js';
import { estimateTokens, type Embedder } from './embedder.js';
import { modelSettings } from './registry.js';

const BATCH = 64;

export interface OpenAIEmbedderOptions {
  model: string;
  /** Defaults to OPENAI_BASE_URL / OPENAI_API_KEY, as the openai package reads them. */
  baseURL?: string | undefined;
  apiKey?: string | undefined;
}

/** Embeddings from any OpenAI-compatible `/v1/embeddings` (OpenAI, Ollama, LM Studio, vLLM…). */
export async function loadOpenAIEmbedder(opts: OpenAIEmbedderOptions): Promise<Embedder> {
  const env = openAIEnv();
  const client = new OpenAI({
    baseURL: opts.baseURL ?? env.baseURL,
    // Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
    apiKey: opts.apiKey ?? env.apiKey ?? 'not-needed',
    maxRetries: 4,
    timeout: 60_000,
  });
  const base = modelSettings(opts.model, 'openai');

  async function run(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      let res: Awaited<ReturnType<typeof client.embeddings.create>>;
      try {
        res = await client.embeddings.create({ model: opts.model, input: batch, encoding_format: 'float' });
      } catch (err) {
        throw new PriorsError(`embeddings API (${client.baseURL}) failed for model ${opts.model}: ${errorMessage(err)}`, 'upstream');
      }
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length) {
        throw new PriorsError(`embeddings API returned ${sorted.length} vectors for ${batch.length} inputs`, 'upstream');
      }
      for (const d of sorted) out.push(normalise(Float32Array.from(d.embedding)));
    }
    return out;
  }

  const probe = await run(['dimension probe']);
  const dimension = probe[0]?.length ?? 0;
  const settings = { ...base, dimension };
  return {
    settings,
    embedPassages: (texts) => run(texts.map((t) => settings.passagePrefix + t)),
    embedQuery: async (text) => {
      const [v] = await run([settings.queryPrefix + text]);
      if (!v) throw new PriorsError('embeddings API returned no vector for the query', 'upstream');
      return v;
    },
    countTokens: estimateTokens,
    dispose: async () => undefined,
  };
}

/** Cosine search assumes unit vectors; not every server normalises. */
function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return v.map((x) => x / norm);
}
