/** Running an ingest from the CLI (progress, warnings, report); loaded only by commands that ingest. */
import { UsageError } from '../core/errors.js';
import { loadEmbedderForNewIndex, loadEmbedderOrWarn } from '../embed/load-embedder.js';
import { DEFAULT_MODEL_ID, isWordVecModel, WORDVEC_MODEL_ID } from '../embed/registry.js';
import type { Embedder } from '../embed/embedder.js';
import { ingest, type IngestReport, type LazyEmbedder } from '../ingest/ingest.js';
import type { PriorsConfig } from '../config/config.js';
import { formatEta, ProgressLine } from './progress.js';
import { printJson, printLine, warnLine } from './output.js';

export interface IngestFlags {
  index: string;
  json?: boolean;
  rebuild?: boolean;
  model?: string;
  modelDir?: string;
  embedder?: string;
  noEmbed?: boolean;
  maxTokens?: string;
  overlap?: string;
  maxFileSize?: string;
  strict?: boolean;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return n;
}

/** Run an ingest with progress on a TTY; shared by `ingest` and by `ask` on a fresh clone. */
export async function runIngest(roots: string[], flags: IngestFlags, config: PriorsConfig): Promise<IngestReport> {
  const json = flags.json === true;
  const progress = new ProgressLine(json);
  const warnings: string[] = [];
  const backend = (flags.embedder ?? config.embedder) as 'transformers' | 'openai';
  if (backend !== 'transformers' && backend !== 'openai') throw new UsageError(`--embedder must be transformers or openai`);
  const named = flags.model ?? config.model ?? null;
  // `--model wordvec` names the word vectors whatever --embedder says.
  const model = named !== null && isWordVecModel(named) ? WORDVEC_MODEL_ID : named;
  const loaded: { embedder: Embedder | null } = { embedder: null };
  const warn = (m: string) => (json ? warnings.push(m) : warnLine(m));
  const loading = {
    modelDir: flags.modelDir ?? config.modelDir,
    cacheDir: config.cacheDir,
    parallel: true,
    onDownload: ({ file, loaded: done, total }: { file: string; loaded: number; total: number }) =>
      progress.update(() => `downloading ${file}: ${Math.round((100 * done) / (total || 1))}%`),
    onConvert: (fraction: number) => progress.update(() => `converting word vectors into the cache (once): ${Math.round(100 * fraction)}%`),
  };
  // Loaded by ingest only when something needs embedding (a no-op re-ingest skips the model entirely).
  const embedder: LazyEmbedder | null = flags.noEmbed
    ? null
    : {
        backend: model === WORDVEC_MODEL_ID ? 'wordvec' : backend,
        model,
        load: async (index) =>
          (loaded.embedder = index
            ? await loadEmbedderOrWarn({ ...loading, backend: index.backend, model: index.model }, warn)
            : await loadEmbedderForNewIndex(
                { ...loading, backend: model === WORDVEC_MODEL_ID ? 'wordvec' : backend, model: model ?? DEFAULT_MODEL_ID },
                warn,
              )),
      };
  const maxTokens = positiveInt(flags.maxTokens, '--max-tokens');
  const overlap = positiveInt(flags.overlap, '--overlap');
  const maxFileMb = positiveInt(flags.maxFileSize, '--max-file-size');
  try {
    const report = await ingest({
      roots,
      index: flags.index,
      embedder,
      rebuild: flags.rebuild === true,
      chunking:
        maxTokens !== undefined || overlap !== undefined ? { maxTokens: maxTokens ?? 320, overlapTokens: overlap ?? 40 } : undefined,
      maxFileBytes: maxFileMb !== undefined ? maxFileMb * 1024 * 1024 : undefined,
      onWarning: (m) => {
        if (!json) {
          progress.done();
          warnLine(m);
        }
      },
      onProgress: (p) =>
        progress.update((sec) => {
          const rate = p.chunksDone / Math.max(sec, 0.001);
          const eta = p.filesDone > 0 ? (sec / p.filesDone) * (p.filesTotal - p.filesDone) : Number.NaN;
          return `ingest [${p.filesDone}/${p.filesTotal} files] ${p.chunksDone} chunks · ${rate.toFixed(0)} chunks/s · ETA ${formatEta(eta)}`;
        }, p.phase === 'finish'),
    });
    report.warnings.unshift(...warnings);
    return report;
  } finally {
    progress.done();
    await loaded.embedder?.dispose();
  }
}

export function printIngestReport(report: IngestReport, json: boolean): void {
  if (json) return printJson(report);
  printLine(
    `${report.index}: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.unchanged} unchanged, ${report.skipped} skipped`,
  );
  printLine(
    `${report.documents} documents, ${report.chunks} chunks, model ${report.model}, ${(report.totalMs / 1000).toFixed(1)} s` +
      (report.warnings.length ? ` (${report.warnings.length} warnings)` : ''),
  );
}
