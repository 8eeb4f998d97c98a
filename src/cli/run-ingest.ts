/** Running an ingest from the CLI (progress, warnings, report); loaded only by commands that ingest. */
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { PriorsConfig } from '../config/config.js';
import type { RootRequest } from '../core/types.js';
import { type ArchiveWatch, type IngestArchiveOptions, ingestArchive, type IngestReport, watchArchive } from '../tools/ingest.js';
import { formatEta, ProgressLine } from './progress.js';
import { noteLine, printJson, printLine, warnLine } from './output.js';
import { count } from '../tools/count.js';

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
  /** Read every remembered root besides the given ones. */
  everyRoot?: boolean;
  /** Read when no roots are given and the index remembers none. */
  fallbackRoots?: string[];
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return n;
}

/** What `runIngest` and `runWatch` pass to the tools: the flags resolved, warnings and progress on a TTY. */
function archiveOptions(
  roots: (string | RootRequest)[],
  flags: IngestFlags,
  config: PriorsConfig,
  progress: () => ProgressLine,
): IngestArchiveOptions {
  const json = flags.json === true;
  const backend = (flags.embedder ?? config.embedder) as 'transformers' | 'openai';
  if (backend !== 'transformers' && backend !== 'openai') throw new UsageError(`--embedder must be transformers or openai`);
  const model = flags.model ?? config.model ?? null;
  const maxTokens = positiveInt(flags.maxTokens, '--max-tokens');
  const overlap = positiveInt(flags.overlap, '--overlap');
  const maxFileMb = positiveInt(flags.maxFileSize, '--max-file-size');
  return {
    roots,
    fallbackRoots: flags.fallbackRoots,
    everyRoot: flags.everyRoot === true,
    index: flags.index,
    model: flags.noEmbed
      ? null
      : {
          backend,
          model,
          modelDir: flags.modelDir ?? config.modelDir,
          cacheDir: config.cacheDir,
          onDownload: ({ file, loaded, total }) =>
            progress().update(() => `downloading ${file}: ${Math.round((100 * loaded) / (total || 1))}%`),
          onConvert: (fraction) => progress().update(() => `converting word vectors into the cache (once): ${Math.round(100 * fraction)}%`),
        },
    rebuild: flags.rebuild === true,
    chunking: maxTokens !== undefined || overlap !== undefined ? { maxTokens: maxTokens ?? 320, overlapTokens: overlap ?? 40 } : undefined,
    maxFileBytes: maxFileMb !== undefined ? maxFileMb * 1024 * 1024 : undefined,
    onWarning: (m) => {
      if (!json) {
        progress().done();
        warnLine(m);
      }
    },
    onNotice: (m) => {
      if (!json) {
        progress().done();
        noteLine(m);
      }
    },
    onProgress: (p) =>
      progress().update((sec) => {
        const rate = p.chunksDone / Math.max(sec, 0.001);
        const eta = p.filesDone > 0 ? (sec / p.filesDone) * (p.filesTotal - p.filesDone) : Number.NaN;
        return `ingest [${p.filesDone}/${p.filesTotal} files] ${p.chunksDone} chunks · ${rate.toFixed(0)} chunks/s · ETA ${formatEta(eta)}`;
      }, p.phase === 'finish'),
  };
}

/** Run an ingest with progress on a TTY; shared by `ingest` and by `ask` on a fresh clone. */
export async function runIngest(roots: (string | RootRequest)[], flags: IngestFlags, config: PriorsConfig): Promise<IngestReport> {
  const progress = new ProgressLine(flags.json === true);
  try {
    return await ingestArchive(archiveOptions(roots, flags, config, () => progress));
  } finally {
    progress.done();
  }
}

/**
 * Ingest, then keep the index current until SIGINT/SIGTERM (`ingest --watch`, `serve --watch`). Human output:
 * the first report, then one line per batch; `--json`: one JSON object per line (`watching`, `ingest`, `error`).
 * Resolves with the watch once it is running; the first ingest's failure is thrown.
 */
export async function runWatch(
  roots: (string | RootRequest)[],
  flags: IngestFlags,
  config: PriorsConfig,
  /** After each ingest that changed the index (`serve --watch` refreshes its open index here). */
  afterChange?: () => Promise<void>,
): Promise<ArchiveWatch> {
  const json = flags.json === true;
  let progress = new ProgressLine(json);
  let watchedRoots: readonly { name: string; path: string }[] = [];
  const event = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    return await watchArchive({
      ...archiveOptions(roots, flags, config, () => progress),
      onBatchStart: () => {
        progress = new ProgressLine(json);
      },
      onIngest: (report, changed) => {
        progress.done();
        if (json) event({ event: 'ingest', changed, ...report });
        else if (changed === null) printIngestReport(report, false);
        else printLine(`${new Date().toTimeString().slice(0, 8)} ${describeChange(changed, watchedRoots)}: ${batchSummary(report)}`);
        if (afterChange && report.added + report.updated + report.removed > 0) void afterChange();
      },
      onWatching: (watched) => {
        watchedRoots = watched;
        if (json) event({ event: 'watching', roots: watched });
        else printLine(`watching ${watched.map((r) => `${r.name} (${r.path})`).join(', ')} — Ctrl-C to stop`);
      },
      onError: (message, retrying) => {
        progress.done();
        if (json) event({ event: 'error', message, retrying });
        else warnLine(`${message}${retrying ? '; trying again shortly' : '; still watching'}`);
      },
    });
  } finally {
    progress.done();
  }
}

/** The changed paths as document ids (`<root>/<path in it>`), the first one and a count of the rest. */
function describeChange(changed: readonly string[], roots: readonly { name: string; path: string }[]): string {
  const show = (p: string) => {
    const root = roots.find((r) => p === r.path || p.startsWith(r.path + path.sep));
    return root ? [root.name, ...path.relative(root.path, p).split(path.sep)].filter(Boolean).join('/') : p;
  };
  const first = show(changed[0] ?? '');
  return changed.length === 1 ? first : `${first} and ${changed.length - 1} more`;
}

function batchSummary(r: IngestReport): string {
  const parts = [
    r.added ? `${r.added} added` : null,
    r.updated ? `${r.updated} updated` : null,
    r.removed ? `${r.removed} removed` : null,
    r.skipped ? `${r.skipped} skipped` : null,
  ].filter(Boolean);
  return `${parts.join(', ') || 'no change to the index'} · ${count(r.documents, 'document')} · ${(r.totalMs / 1000).toFixed(2)} s`;
}

export function printIngestReport(report: IngestReport, json: boolean): void {
  if (json) {
    printJson(report);
    return;
  }
  printLine(
    `${report.index} (${report.roots.join(', ')}): ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.unchanged} unchanged, ${report.skipped} skipped`,
  );
  printLine(
    `${count(report.documents, 'document')}, ${count(report.chunks, 'chunk')}, model ${report.model}, ${(report.totalMs / 1000).toFixed(1)} s` +
      (report.warnings.length ? ` (${count(report.warnings.length, 'warning')})` : ''),
  );
}
