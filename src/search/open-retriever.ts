import { loadEmbedderOrWarn, requestForIndex } from '../embed/load-embedder.js';
import { IndexStore } from '../index/store.js';
import { Retriever } from './retriever.js';

export interface OpenRetrieverOptions {
  index: string;
  modelDir?: string | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

/** Open an index for searching with the model it was built with; no model → full-text only, with a warning. */
export async function openRetriever(opts: OpenRetrieverOptions): Promise<Retriever> {
  const store = await IndexStore.open(opts.index, { create: false });
  const sig = store.settings?.embedding ?? null;
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const embedder = sig ? await loadEmbedderOrWarn(requestForIndex(sig, opts.modelDir), warn) : null;
  return new Retriever(store, embedder);
}
