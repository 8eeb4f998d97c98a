import { openRetriever, type OpenRetrieverOptions } from '../search/open-retriever.js';
import type { Retriever } from '../search/retriever.js';
import type { ToolContext } from './tool.js';

/** A tool context over one index: the index and its model are opened on first use and then shared. */
export function createToolContext(opts: OpenRetrieverOptions): ToolContext & { close(): Promise<void> } {
  let pending: Promise<Retriever> | null = null;
  return {
    retriever() {
      pending ??= openRetriever(opts).catch((err: unknown) => {
        // A failed open (e.g. no index yet) is retried on the next call instead of being cached.
        pending = null;
        throw err;
      });
      return pending;
    },
    async close() {
      if (!pending) return;
      const r = await pending.catch(() => null);
      await r?.embedder?.dispose();
      r?.store.close();
    },
  };
}
