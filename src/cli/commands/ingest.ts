import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { loadEmbedderOrWarn } from '../../embed/load-embedder.js';
import { ingest, type IngestReport } from '../../ingest/ingest.js';
import type { PriorsConfig } from '../../config/config.js';
import { formatEta, ProgressLine } from '../progress.js';
import { printJson, printLine, warnLine } from '../output.js';

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
  const embedder = flags.noEmbed
    ? null
    : await loadEmbedderOrWarn(
        {
          backend,
          model: flags.model ?? config.model,
          modelDir: flags.modelDir ?? config.modelDir,
          onDownload: ({ file, loaded, total }) =>
            progress.update(() => `downloading ${file}: ${Math.round((100 * loaded) / (total || 1))}%`),
        },
        (m) => (json ? warnings.push(m) : warnLine(m)),
      );
  const maxTokens = positiveInt(flags.maxTokens, '--max-tokens');
  const overlap = positiveInt(flags.overlap, '--overlap');
  const maxFileMb = positiveInt(flags.maxFileSize, '--max-file-size');
  try {
    const report = await ingest({
      roots,
      index: flags.index,
      embedder,
      rebuild: flags.rebuild === true,
      chunking: maxTokens !== undefined || overlap !== undefined ? { maxTokens: maxTokens ?? 320, overlapTokens: overlap ?? 40 } : undefined,
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
    await embedder?.dispose();
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

export function registerIngest(program: Command, config: () => PriorsConfig): void {
  program
    .command('ingest')
    .description('index a folder of writing (markdown, transcripts, captions, JSONL, text); re-runs only do what changed')
    .argument('[paths...]', 'folders or files to index (default: ./corpus)')
    .option('--index <path>', 'index location')
    .option('--rebuild', 'drop the index and build it again (needed after changing model or chunking)')
    .option('--model <id>', 'embedding model: hub id or local folder')
    .option('--embed-model <id>', 'same as --model (e.g. --embedder openai --embed-model nomic-embed-text)')
    .option('--model-dir <dir>', 'folder of local models (<org>/<name>/), searched first')
    .option('--embedder <backend>', 'transformers (local) or openai (OpenAI-compatible /v1/embeddings)')
    .option('--no-embed', 'full-text index only, no embedding model')
    .option('--max-tokens <n>', 'chunk size in model tokens (default 320)')
    .option('--overlap <n>', 'overlap between split chunks in tokens (default 40)')
    .option('--max-file-size <mb>', 'skip files larger than this many MB (default 20)')
    .option('--strict', 'treat warnings (bad front matter, skipped files) as failures')
    .option('--json', 'machine-readable report, no progress output')
    .action(async (paths: string[], opts: Omit<IngestFlags, 'index'> & { index?: string; embed?: boolean; embedModel?: string }) => {
      const cfg = config();
      const report = await runIngest(
        paths.length ? paths : [cfg.corpus],
        { ...opts, model: opts.embedModel ?? opts.model, index: opts.index ?? cfg.index, noEmbed: opts.embed === false },
        cfg,
      );
      printIngestReport(report, opts.json === true);
      if (opts.strict && report.warnings.length > 0) {
        process.stderr.write(`error: ${report.warnings.length} warnings with --strict\n`);
        process.exitCode = 1;
      }
    });
}
