import { errorMessage, IndexLockedError } from '../core/errors.js';
import { type Embedder, signatureOf } from '../embed/embedder.js';
import { type EmbedderRequest, loadEmbedderForNewIndex, loadEmbedderOrWarn } from '../embed/load-embedder.js';
import { DEFAULT_MODEL_ID, isWordVecModel, WORDVEC_MODEL_ID } from '../embed/registry.js';
import { IndexStore } from '../index/store.js';
import { type IngestOptions, type IngestReport, ingest, type LazyEmbedder } from '../ingest/ingest.js';
import { SUPPORTED_EXTENSIONS } from '../ingest/parse.js';
import { startWatchLoop } from '../ingest/watch.js';

export type { IngestReport } from '../ingest/ingest.js';

/**
 * Building or updating an index, as the front ends start it. Not a schema tool: ingest reads local folders
 * and writes the index, which no network caller (HTTP, MCP, an LLM) may ask for.
 */
export interface IngestArchiveOptions extends Omit<IngestOptions, 'embedder'> {
  /**
   * The embedding model; null for a full-text-only index. `model.model` is null when none was named: an
   * existing index keeps its own, a new one gets the default — or word vectors when that can't be loaded.
   */
  model: (Omit<EmbedderRequest, 'parallel' | 'model'> & { model: string | null }) | null;
}

/**
 * The model of one or more ingest runs, loaded only when something needs embedding (a no-op re-ingest never
 * loads it), in worker threads. A watch keeps it loaded between runs, so a saved file costs its own
 * embedding and not a model load. A model that can't be had means full-text only, with a warning.
 */
class ModelSession {
  private loaded: Embedder | null = null;
  readonly embedder: LazyEmbedder | null;

  constructor(model: IngestArchiveOptions['model'], warn: (m: string) => void) {
    // `--model wordvec` names the word vectors whatever the backend flag says.
    const named = model?.model != null && isWordVecModel(model.model) ? WORDVEC_MODEL_ID : (model?.model ?? null);
    const backend = named === WORDVEC_MODEL_ID ? 'wordvec' : model?.backend;
    this.embedder = model && {
      backend: backend ?? model.backend,
      model: named,
      load: async (index) => {
        const kept = this.loaded && signatureOf(this.loaded);
        // The same model as the last run's (the index it built, or the one asked for): reuse it.
        if (kept && (index ? kept.backend === index.backend && kept.model === index.model : kept.model === (named ?? DEFAULT_MODEL_ID))) {
          return this.loaded;
        }
        await this.dispose();
        this.loaded = index
          ? await loadEmbedderOrWarn({ ...model, parallel: true, backend: index.backend, model: index.model }, warn)
          : await loadEmbedderForNewIndex(
              { ...model, parallel: true, backend: backend ?? model.backend, model: named ?? DEFAULT_MODEL_ID },
              warn,
            );
        return this.loaded;
      },
    };
  }

  async dispose(): Promise<void> {
    const e = this.loaded;
    this.loaded = null;
    await e?.dispose();
  }
}

/** One ingest with a session's model; the model's warnings go first in the report, as the run's numbers depend on it. */
async function runWith(session: ModelSession, opts: IngestArchiveOptions, modelWarnings: string[]): Promise<IngestReport> {
  const { model: _model, ...rest } = opts;
  modelWarnings.length = 0;
  const report = await ingest({ ...rest, embedder: session.embedder });
  report.warnings.unshift(...modelWarnings);
  return report;
}

/** Ingest once: the model is loaded only if something needs embedding, and disposed at the end. */
export async function ingestArchive(opts: IngestArchiveOptions): Promise<IngestReport> {
  const modelWarnings: string[] = [];
  const session = new ModelSession(opts.model, (m) => {
    modelWarnings.push(m);
    opts.onWarning?.(m);
  });
  try {
    return await runWith(session, opts, modelWarnings);
  } finally {
    await session.dispose();
  }
}

export interface WatchArchiveOptions extends IngestArchiveOptions {
  /** Quiet time after the last save before a batch is ingested (default 300 ms). */
  debounceMs?: number;
  /** The first ingest (`changed` null) and each batch after it. Warnings of a batch are the ones new since the last. */
  onIngest(report: IngestReport, changed: readonly string[] | null): void;
  /** Before each batch (to restart a progress display). */
  onBatchStart?(changed: readonly string[]): void;
  /** Watching has begun: changes to these roots from now on are ingested. */
  onWatching(roots: readonly { name: string; path: string }[]): void;
  /** A batch failed (one line); `retrying`: it is tried again shortly (the index was locked by another ingest). */
  onError(message: string, retrying: boolean): void;
}

export interface ArchiveWatch {
  /** Stop watching: a batch in progress finishes first, then the model is disposed. */
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 300;
/** A batch starts at the latest this long after its first change, even while files keep changing. */
const MAX_WAIT_MS = 3000;
/** Another ingest holds the lock: try again after this long. */
const LOCKED_RETRY_MS = 1000;

/**
 * Ingest, then keep the index current as files change: each debounced batch of saves re-runs the same
 * incremental ingest over the same roots (same content hashes, same lock, one atomic publish per batch), so a
 * watch writes exactly what a manual `priors ingest` would. Throws when the first ingest fails; later batches
 * report their failure and the watch goes on.
 */
export async function watchArchive(opts: WatchArchiveOptions): Promise<ArchiveWatch> {
  let batch = false;
  const modelWarnings: string[] = [];
  // During a batch, warnings wait for its report and only the new ones are passed on: unchanged bad files repeat theirs every run.
  const warn = (m: string) => {
    if (!batch) opts.onWarning?.(m);
  };
  const session = new ModelSession(opts.model, (m) => {
    modelWarnings.push(m);
    warn(m);
  });
  const runOpts: IngestArchiveOptions = { ...opts, onWarning: warn };
  try {
    const first = await runWith(session, runOpts, modelWarnings);
    opts.onIngest(first, null);
    // Later batches read the roots of this one again, with the settings it stored (and so change no setting).
    let shown = new Set(first.warnings);
    const batchOpts: IngestArchiveOptions = { ...runOpts, rebuild: false };
    const roots = await rootsOf(first);
    const loop = await startWatchLoop({
      paths: roots.map((r) => r.path),
      skipDirs: [first.index],
      extensions: SUPPORTED_EXTENSIONS,
      debounceMs: opts.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      maxWaitMs: MAX_WAIT_MS,
      retryMs: LOCKED_RETRY_MS,
      run: async (changed) => {
        opts.onBatchStart?.(changed);
        batch = true;
        try {
          const report = await runWith(session, batchOpts, modelWarnings);
          const fresh = report.warnings.filter((w) => !shown.has(w));
          shown = new Set(report.warnings);
          batch = false;
          for (const w of fresh) opts.onWarning?.(w);
          opts.onIngest({ ...report, warnings: fresh }, changed);
        } finally {
          batch = false;
        }
      },
      onRunError: (err) => {
        const retrying = err instanceof IndexLockedError;
        opts.onError(errorMessage(err), retrying);
        return retrying;
      },
      onWatchError: (m) => opts.onError(m, false),
    });
    await loop.ready;
    opts.onWatching(roots);
    return {
      async close() {
        await loop.close();
        await session.dispose();
      },
    };
  } catch (err) {
    await session.dispose();
    throw err;
  }
}

/** The folders of the roots a report's run read, as the index now remembers them. */
async function rootsOf(report: IngestReport): Promise<{ name: string; path: string }[]> {
  const store = await IndexStore.open(report.index);
  try {
    const names = new Set(report.roots);
    return (store.settings.roots ?? []).filter((r) => names.has(r.name)).map((r) => ({ name: r.name, path: r.path }));
  } finally {
    store.close();
  }
}
