import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import type { RootRequest } from '../../core/types.js';
import type { IngestFlags } from '../run-ingest.js';
import { summary } from '../command-summaries.js';
import { count } from '../../tools/count.js';

interface RootFlags {
  name?: string;
  urlTemplate?: string;
  book?: string;
  author?: string;
  publication?: string;
  urlAlias?: string[];
}

/**
 * The roots of a run: the paths given (with the root flags), else the config file's roots plus every root
 * the index remembers, else (an index with no roots yet) the configured corpus.
 */
function rootRequests(paths: string[], flags: RootFlags, config: PriorsConfig): { roots: RootRequest[]; everyRoot: boolean } {
  const settings = {
    urlTemplate: flags.urlTemplate,
    book: flags.book,
    author: flags.author,
    publication: flags.publication,
    urlAliases: flags.urlAlias?.flatMap((a) => a.split(',')),
  };
  const hasSettings = Object.values(settings).some((v) => v !== undefined) || flags.name !== undefined;
  if (paths.length === 0) {
    if (hasSettings) {
      throw new UsageError('--name, --url-template, --url-alias, --book, --author and --publication need the folder they describe');
    }
    return { roots: config.roots, everyRoot: true };
  }
  if (flags.name !== undefined && paths.length > 1) throw new UsageError('--name names one root; give one folder with it');
  return { roots: paths.map((p) => ({ path: p, name: flags.name, ...settings })), everyRoot: false };
}

/**
 * Resolves on the first SIGINT or SIGTERM (the caller then stops cleanly: a batch in progress finishes); a second
 * one exits at once — the index is safe either way, as an interrupted ingest is rolled back by the next.
 */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerIngest(program: Command, config: () => PriorsConfig): void {
  program
    .command('ingest')
    .description(summary('ingest'))
    .argument('[paths...]', 'folders or files to index (default: every root the index remembers, else ./corpus)')
    .option('--index <path>', 'index location')
    .option('--name <name>', "the root's name, the first part of its documents' ids (default: the folder's name)")
    .option(
      '--url-template <template>',
      'URL of each document: {slug} {stem} {path} {date} {year} {month} {day}, e.g. https://example.com/p/{slug}',
    )
    .option(
      '--url-alias <host>',
      'another host the documents were published under (an old Substack domain): links to it resolve to them; repeatable or comma-separated, "" clears',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--book <title>', 'the folder is a book: its files are chapters of this title')
    .option('--author <name>', "who wrote the root's documents (the host of its interviews)")
    .option('--publication <name>', 'site or publication name shown in citations')
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
    .option('--watch', 'after ingesting, keep the index current as files are saved (Ctrl-C stops)')
    .option('--json', 'machine-readable report, no progress output (with --watch: one JSON object per line)')
    .action(
      async (
        paths: string[],
        opts: Omit<IngestFlags, 'index'> & RootFlags & { index?: string; embed?: boolean; embedModel?: string; watch?: boolean },
      ) => {
        const cfg = config();
        const { runIngest, runWatch, printIngestReport } = await import('../run-ingest.js');
        const { roots, everyRoot } = rootRequests(paths, opts, cfg);
        const flags: IngestFlags = {
          ...opts,
          model: opts.embedModel ?? opts.model,
          index: opts.index ?? cfg.index,
          noEmbed: opts.embed === false,
          everyRoot,
          fallbackRoots: [cfg.corpus],
        };
        if (opts.watch) {
          if (opts.strict) throw new UsageError('--strict fails a run on warnings, which a watch outlives: use one or the other');
          const watch = await runWatch(roots, flags, cfg);
          await untilInterrupted();
          await watch.close();
          // Native libraries (the index, the model runtime) may hold the event loop open after closing.
          setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
          return;
        }
        const report = await runIngest(roots, flags, cfg);
        printIngestReport(report, opts.json === true);
        if (opts.strict && report.warnings.length > 0) {
          process.stderr.write(`error: ${count(report.warnings.length, 'warning')} with --strict\n`);
          process.exitCode = 1;
        }
      },
    );
}
