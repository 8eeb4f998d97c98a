import type { Embedder } from '../embed/embedder.js';
import { type EmbedderRequest, loadEmbedderForNewIndex, loadEmbedderOrWarn } from '../embed/load-embedder.js';
import { DEFAULT_MODEL_ID, isWordVecModel, WORDVEC_MODEL_ID } from '../embed/registry.js';
import { type IngestOptions, type IngestReport, ingest, type LazyEmbedder } from '../ingest/ingest.js';

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
 * Ingest with the model loaded only when something needs embedding (a no-op re-ingest never loads it), in
 * worker threads, and disposed at the end. A model that can't be had means full-text only, with a warning.
 */
export async function ingestArchive(opts: IngestArchiveOptions): Promise<IngestReport> {
  const { model, ...rest } = opts;
  // The model's warning goes first in the report, as it is what the run's other numbers depend on.
  const modelWarnings: string[] = [];
  const warn = (m: string) => {
    modelWarnings.push(m);
    opts.onWarning?.(m);
  };
  let loaded: Embedder | null = null;
  // `--model wordvec` names the word vectors whatever the backend flag says.
  const named = model?.model != null && isWordVecModel(model.model) ? WORDVEC_MODEL_ID : (model?.model ?? null);
  const embedder: LazyEmbedder | null = model && {
    backend: named === WORDVEC_MODEL_ID ? 'wordvec' : model.backend,
    model: named,
    load: async (index) =>
      (loaded = index
        ? await loadEmbedderOrWarn({ ...model, parallel: true, backend: index.backend, model: index.model }, warn)
        : await loadEmbedderForNewIndex(
            { ...model, parallel: true, backend: named === WORDVEC_MODEL_ID ? 'wordvec' : model.backend, model: named ?? DEFAULT_MODEL_ID },
            warn,
          )),
  };
  try {
    const report = await ingest({ ...rest, embedder });
    report.warnings.unshift(...modelWarnings);
    return report;
  } finally {
    await (loaded as Embedder | null)?.dispose();
  }
}
