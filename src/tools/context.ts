import { IndexStore } from '../index/store.js';
import { Retriever } from '../search/retriever.js';
import { loadIndexEmbedder, loadRerankerOrWarn, type OpenRetrieverOptions } from '../search/open-retriever.js';
import type { ToolContext } from './tool.js';

/** Cache a promise, but forget a rejection so the next call retries (e.g. after `priors ingest` created the index). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= make().catch((err: unknown) => {
      pending = null;
      throw err;
    });
    return pending;
  };
}

/**
 * A tool context over one index, shared by every tool call of a process: the index opens on first use, the
 * embedding model only when a tool actually searches (listing or citing never pays for loading it).
 */
export function createToolContext(opts: OpenRetrieverOptions): ToolContext & { close(): Promise<void> } {
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const store = once(() => IndexStore.open(opts.index, { create: false }));
  let opened: Retriever | null = null;
  const retriever = once(async () => {
    const s = await store();
    opened = new Retriever(s, await loadIndexEmbedder(s, opts, warn));
    opened.reranker = await loadRerankerOrWarn(opts, warn);
    return opened;
  });
  return {
    store,
    retriever,
    async close() {
      await opened?.embedder?.dispose();
      await opened?.reranker?.dispose();
      const s = await store().catch(() => null);
      s?.close();
    },
  };
}
