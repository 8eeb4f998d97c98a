import type { Embedder } from '../embed/embedder.js';
import type { Reranker } from '../embed/reranker.js';
import { IndexStore } from '../index/store.js';
import type { OpenRetrieverOptions } from '../search/open-retriever.js';
import type { FileAccess, ToolContext } from './tool.js';

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
 * The search code, loaded on first use rather than with this module: the CLI loads this module to start opening an
 * index (`prefetchIndex`), and the search code then loads while LanceDB opens it.
 */
const searchCode = once(async () => {
  const [{ Retriever }, { loadIndexEmbedder, loadRerankerOrWarn }] = await Promise.all([
    import('../search/retriever.js'),
    import('../search/open-retriever.js'),
  ]);
  return { Retriever, loadIndexEmbedder, loadRerankerOrWarn };
});

/** Start opening the index a tool context will be made over, before the tools' own code has loaded (`IndexStore.prefetch`). */
export function prefetchIndex(location: string): void {
  IndexStore.prefetch(location);
  // A failure to load is the tool's to report, when it asks for the retriever.
  searchCode().catch(() => undefined);
}

/**
 * A tool context over one index, shared by every tool call of a process: the index opens on first use, the
 * embedding model only when a tool actually searches by meaning (listing, citing or a `bm25` search never
 * pays for loading it).
 */
export function createToolContext(
  opts: OpenRetrieverOptions & { fileAccess?: FileAccess; oneShot?: boolean },
): ToolContext & { close(): Promise<void> } {
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  let requested = false;
  const store = once(() => {
    requested = true;
    return IndexStore.open(opts.index);
  });
  let embedder: Embedder | null = null;
  const loadEmbedder = once(async () => (embedder = await (await searchCode()).loadIndexEmbedder(await store(), opts, warn)));
  let reranker: Reranker | null = null;
  const loadReranker = once(async () => (reranker = await (await searchCode()).loadRerankerOrWarn(opts, warn)));
  const open = (withModel: boolean) =>
    once(async () => {
      const [{ Retriever }, s, e, r] = await Promise.all([searchCode(), store(), withModel ? loadEmbedder() : null, loadReranker()]);
      const retriever = new Retriever(s, e);
      retriever.reranker = r;
      return retriever;
    });
  const full = open(true);
  const keywordOnly = open(false);
  return {
    store,
    retriever: (mode) => (mode === 'bm25' ? keywordOnly() : full()),
    ...(opts.fileAccess ? { fileAccess: opts.fileAccess } : {}),
    ...(opts.oneShot ? { oneShot: true } : {}),
    async close() {
      await embedder?.dispose();
      await reranker?.dispose();
      // Only an index something asked for: a command that never read it (import) must not open it to close it.
      const s = requested ? await store().catch(() => null) : null;
      s?.close();
    },
  };
}
