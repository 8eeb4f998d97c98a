import { homedir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { Embedder, EmbeddingSignature } from './embedder.js';
import { locateModel } from './model-location.js';
import { isWordVecModel, WORDVEC_MODEL_ID } from './registry.js';

export interface EmbedderRequest {
  backend: 'transformers' | 'openai' | 'wordvec';
  model: string;
  modelDir?: string | undefined;
  /** The user's cache root (config `cacheDir`); the word-vector table lives in `<cacheDir>/wordvec/`. */
  cacheDir?: string | undefined;
  onDownload?: ((info: { file: string; loaded: number; total: number }) => void) | undefined;
  /** The one-time conversion of the word vectors into the cache, 0…1. */
  onConvert?: ((fraction: number) => void) | undefined;
  /** Embed passages in worker threads, one per core (for ingest). */
  parallel?: boolean | undefined;
}

/** Backends are imported on demand: each pulls in a large library that most commands never need. */
export async function loadEmbedder(req: EmbedderRequest): Promise<Embedder> {
  if (req.backend === 'wordvec' || isWordVecModel(req.model)) {
    // In-process: a table lookup per word is far cheaper than shipping texts to worker threads.
    const { loadWordVecEmbedder } = await import('./wordvec/embedder.js');
    return loadWordVecEmbedder({ cacheDir: req.cacheDir ?? path.join(homedir(), '.cache', 'priors'), onConvert: req.onConvert });
  }
  if (req.backend === 'openai') {
    const { loadOpenAIEmbedder } = await import('./openai-embedder.js');
    return loadOpenAIEmbedder({ model: req.model });
  }
  const { loadTransformersEmbedder } = await import('./transformers-embedder.js');
  const location = locateModel({ model: req.model, modelDir: req.modelDir });
  const embedder = await loadTransformersEmbedder(location, { onProgress: req.onDownload });
  if (!req.parallel) return embedder;
  const { withWorkerPool } = await import('./pooled-embedder.js');
  return withWorkerPool(embedder, location);
}

/** Like `loadEmbedder`, but a model that can't be had means full-text-only search, said once as a warning. */
export async function loadEmbedderOrWarn(req: EmbedderRequest, warn: (message: string) => void): Promise<Embedder | null> {
  try {
    return await loadEmbedder(req);
  } catch (err) {
    warn(`${errorMessage(err)} — continuing with full-text search only (set PRIORS_MODEL_DIR or --model-dir to a folder of models)`);
    return null;
  }
}

/**
 * The embedder for building a new index: the requested model, or — when a transformer model can't be had
 * (no hub, no local copy) — the word vectors that ship with priors, said in one line. Only a new index may
 * switch models this way; an existing one must be queried with the model it was built with.
 */
export async function loadEmbedderForNewIndex(req: EmbedderRequest, warn: (message: string) => void): Promise<Embedder | null> {
  if (req.backend !== 'transformers' || isWordVecModel(req.model)) return loadEmbedderOrWarn(req, warn);
  try {
    return await loadEmbedder(req);
  } catch (err) {
    try {
      const fallback = await loadEmbedder({ ...req, backend: 'wordvec', model: WORDVEC_MODEL_ID });
      warn(`${errorMessage(err)} — using word vectors (${WORDVEC_MODEL_ID}) instead`);
      return fallback;
    } catch (fallbackErr) {
      warn(`${errorMessage(err)}; ${errorMessage(fallbackErr)} — continuing with full-text search only`);
      return null;
    }
  }
}

/** The embedder an existing index was built with, for embedding queries against it. */
export function requestForIndex(sig: EmbeddingSignature, modelDir?: string, cacheDir?: string): EmbedderRequest {
  return { backend: sig.backend, model: sig.model, modelDir, cacheDir };
}
