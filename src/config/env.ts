import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Environment variables read outside `loadConfig`: by layers that run without a loaded config (the embed
 * layer in a worker thread, the library, error reporting). Every `process.env` access of priors is in
 * src/config, so this file and config.ts are the whole list. Read on each call, never cached: tests and
 * long-running servers may change them.
 */

/** PRIORS_DEBUG: stack traces for unexpected errors. */
export function debugEnabled(): boolean {
  return Boolean(process.env.PRIORS_DEBUG);
}

/** NO_COLOR (no-color.org): plain terminal output. */
export function colorDisabled(): boolean {
  return Boolean(process.env.NO_COLOR);
}

/** PRIORS_INDEX: the index every command uses when not given `--index`, over the config files' (see `loadConfig`). */
export function envIndex(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.PRIORS_INDEX;
}

/** PRIORS_MODEL_DIR: a folder of `<org>/<name>/` models, searched first (when no --model-dir was given). */
export function envModelDir(): string | undefined {
  return process.env.PRIORS_MODEL_DIR;
}

/** PRIORS_CACHE_DIR, else ~/.cache/priors: converted word vectors, eval indexes, compiled code (config's `cacheDir`). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.PRIORS_CACHE_DIR ?? path.join(homedir(), '.cache', 'priors');
}

/**
 * Where the CLI keeps V8's compiled code of its program between runs (src/cli/code-cache.ts), or null when
 * NODE_DISABLE_COMPILE_CACHE is set: Node's own switch for its compile cache turns this one off too.
 */
export function compileCacheDir(): string | null {
  return process.env.NODE_DISABLE_COMPILE_CACHE ? null : path.join(cacheRoot(), 'compile');
}

/** Where downloaded models are kept: PRIORS_CACHE_DIR, else ~/.cache/priors/models. */
export function modelCacheDir(): string {
  return process.env.PRIORS_CACHE_DIR ?? path.join(homedir(), '.cache', 'priors', 'models');
}

/** PRIORS_TOKEN: the bearer token `priors serve` requires (when --token is not given). */
export function envToken(): string | undefined {
  return process.env.PRIORS_TOKEN;
}

/** OPENAI_BASE_URL / OPENAI_API_KEY, for an embeddings API configured only through the environment. */
export function openAIEnv(): { baseURL: string | undefined; apiKey: string | undefined } {
  return { baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY };
}

/**
 * LanceDB's native logger reads LANCEDB_LOG once, when it loads: keep its routine warnings ("No existing
 * dataset … it will be created") off users' terminals unless they ask for them. Call before LanceDB loads.
 */
export function quietNativeLogs(): void {
  process.env.LANCEDB_LOG ??= 'error';
}

/**
 * Give the process a temporary folder of its own: created in the system's, named in TMPDIR (TMP and TEMP on
 * Windows) for what the process starts next, and removed with all it holds when the process exits — the `exit`
 * event comes after process.exit, an uncaught error or a handled Ctrl-C too. Call before LanceDB loads.
 *
 * Why: LanceDB makes a spill folder in the temporary folder for every connection and removes it only when Node
 * finalizes the connection at its own teardown, which a process ending by process.exit skips (a server stopped
 * by Ctrl-C, `ingest --watch`, a command once its output is written): each such run left an empty
 * /tmp/.tmpXXXXXX behind.
 */
export function usePrivateTempDir(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'priors-'));
  for (const name of process.platform === 'win32' ? ['TMP', 'TEMP'] : ['TMPDIR']) process.env[name] = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
