import type { Embedder } from '../embed/embedder.js';
import { type EmbedderRequest, loadEmbedderOrWarn } from '../embed/load-embedder.js';
import { type IngestOptions, type IngestReport, ingest, type LazyEmbedder } from '../ingest/ingest.js';

export type { IngestProgress, IngestReport } from '../ingest/ingest.js';

/**
 * Building or updating an index, as the front ends start it. Not a schema tool: ingest reads local folders
 * and writes the index, which no network caller (HTTP, MCP, an LLM) may ask for.
 */
export interface IngestArchiveOptions extends Omit<IngestOptions, 'embedder'> {
  /** The embedding model; null for a full-text-only index. */
  model: Omit<EmbedderRequest, 'parallel'> | null;
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
  const embedder: LazyEmbedder | null = model && {
    backend: model.backend,
    model: model.model,
    load: async () => (loaded = await loadEmbedderOrWarn({ ...model, parallel: true }, warn)),
  };
  try {
    const report = await ingest({ ...rest, embedder });
    report.warnings.unshift(...modelWarnings);
    return report;
  } finally {
    await (loaded as Embedder | null)?.dispose();
  }
}
