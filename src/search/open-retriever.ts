import type { Embedder } from '../embed/embedder.js';
import { loadEmbedderOrWarn, requestForIndex } from '../embed/load-embedder.js';
import { IndexStore } from '../index/store.js';
import { errorMessage } from '../core/errors.js';
import type { Reranker } from '../embed/reranker.js';
import { Retriever } from './retriever.js';

export interface OpenRetrieverOptions {
  index: string;
  modelDir?: string | undefined;
  /** Cache root (config `cacheDir`), where the word-vector table is. */
  cacheDir?: string | undefined;
  onWarning?: ((message: string) => void) | undefined;
  /** Cross-encoder model for a rerank stage (config `reranker` / PRIORS_RERANKER); none by default. */
  reranker?: string | undefined;
}

/** Open an index for searching with the model it was built with; no model → full-text only, with a warning. */
export async function openRetriever(opts: OpenRetrieverOptions): Promise<Retriever> {
  const store = await IndexStore.open(opts.index);
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const embedder = await loadIndexEmbedder(store, opts, warn);
  const retriever = new Retriever(store, embedder);
  retriever.reranker = await loadRerankerOrWarn(opts, warn);
  return retriever;
}

/** The embedder an index was built with, its corpus statistics restored; null when it can't be had. */
export async function loadIndexEmbedder(
  store: IndexStore,
  opts: OpenRetrieverOptions,
  warn: (m: string) => void,
): Promise<Embedder | null> {
  const sig = store.settings?.embedding ?? null;
  if (!sig) return null;
  let told = false;
  const onConvert = () => {
    if (!told) warn('converting the word vectors into the cache (once per machine, a few seconds)');
    told = true;
  };
  const embedder = await loadEmbedderOrWarn({ ...requestForIndex(sig, opts.modelDir, opts.cacheDir), onConvert }, warn);
  const saved = store.corpusStatistics;
  if (embedder?.corpusStatistics && saved !== null) embedder.corpusStatistics.restore(saved);
  if (embedder?.wordList) {
    try {
      embedder.wordList.restore(store.wordList());
    } catch {
      // A damaged list only costs speed: the words are looked up in the vector table instead.
      embedder.wordList.restore(null);
    }
  }
  return embedder;
}

/** The configured reranker, or none (with a warning when one was configured but can't be loaded). */
export async function loadRerankerOrWarn(opts: OpenRetrieverOptions, warn: (m: string) => void): Promise<Reranker | null> {
  if (!opts.reranker) return null;
  const { loadCrossEncoder } = await import('../embed/cross-encoder.js');
  try {
    return await loadCrossEncoder({ model: opts.reranker, modelDir: opts.modelDir });
  } catch (err) {
    warn(`${errorMessage(err)} — searching without the rerank stage`);
    return null;
  }
}
