import { errorMessage } from '../core/errors.js';
import type { Embedder, EmbeddingSignature } from './embedder.js';
import { locateModel } from './model-location.js';

export interface EmbedderRequest {
  backend: 'transformers' | 'openai';
  model: string;
  modelDir?: string | undefined;
  onDownload?: ((info: { file: string; loaded: number; total: number }) => void) | undefined;
  /** Embed passages in worker threads, one per core (for ingest). */
  parallel?: boolean | undefined;
}

/** Backends are imported on demand: each pulls in a large library that most commands never need. */
export async function loadEmbedder(req: EmbedderRequest): Promise<Embedder> {
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

/** The embedder an existing index was built with, for embedding queries against it. */
export function requestForIndex(sig: EmbeddingSignature, modelDir?: string): EmbedderRequest {
  return { backend: sig.backend, model: sig.model, modelDir };
}
