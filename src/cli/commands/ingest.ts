import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import type { IngestFlags } from '../run-ingest.js';
import { summary } from '../command-summaries.js';

export function registerIngest(program: Command, config: () => PriorsConfig): void {
  program
    .command('ingest')
    .description(summary('ingest'))
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
      const { runIngest, printIngestReport } = await import('../run-ingest.js');
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
