import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PriorsConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import { evaluateRetrieval, loadBeir } from '../../tools/evaluate.js';
import { listFlag } from '../parse-flags.js';
import { printJson, printLine, warnLine } from '../output.js';
import { summary } from '../command-summaries.js';

const MODES = ['hybrid', 'bm25', 'vector'] as const;
type Mode = (typeof MODES)[number];

/** Each dataset + model gets its own cached index, so repeated evals skip ingest. */
function defaultEvalIndex(dir: string, model: string | undefined, cacheDir: string): string {
  const key = createHash('sha256')
    .update(`${path.resolve(dir)}\n${model ?? '(default)'}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(cacheDir, 'eval', key);
}

export function registerEval(program: Command, config: () => PriorsConfig): void {
  program
    .command('eval')
    .description(summary('eval'))
    .argument('<beir-dir>', 'folder with corpus.jsonl, queries.jsonl, qrels/test.tsv')
    .option('--mode <modes>', 'hybrid, bm25, vector or a comma list (default: all)')
    .option('--split <name>', 'qrels split (default test)', 'test')
    .option('--index <path>', 'where to keep the dataset index (default: a cache folder)')
    .option('--model <id>', 'embedding model for the dataset index')
    .option('--model-dir <dir>', 'folder of local models')
    .option('--json', 'machine-readable output')
    .action(
      async (dir: string, flags: { mode?: string; split: string; index?: string; model?: string; modelDir?: string; json?: boolean }) => {
        const cfg = config();
        const modes = (listFlag(flags.mode) ?? [...MODES]) as Mode[];
        for (const m of modes) if (!MODES.includes(m)) throw new UsageError(`--mode must be hybrid, bm25 or vector, not "${m}"`);
        const data = loadBeir(dir, flags.split);
        const model = flags.model ?? cfg.model;
        const index = flags.index ?? defaultEvalIndex(dir, model, cfg.cacheDir);
        const { runIngest } = await import('../run-ingest.js');
        const ingestReport = await runIngest([data.corpusFile], { index, json: flags.json === true, model, modelDir: flags.modelDir }, cfg);
        const modelDir = flags.modelDir ?? cfg.modelDir;
        const results = await evaluateRetrieval({ index, modelDir, cacheDir: cfg.cacheDir, data, modes, onWarning: warnLine });
        const out = {
          dataset: path.resolve(dir),
          split: flags.split,
          index,
          model: ingestReport.model,
          documents: ingestReport.documents,
          results,
        };
        if (flags.json) return printJson(out);
        printLine(`${out.dataset} (${flags.split}, ${results[0]?.queries ?? 0} queries), model ${out.model}`);
        printLine('mode      nDCG@10  R@10    R@100   MRR@10  p50 ms  p95 ms');
        for (const r of results) {
          printLine(
            `${r.mode.padEnd(9)} ${r.ndcg10.toFixed(4)}   ${r.recall10.toFixed(4)}  ${r.recall100.toFixed(4)}  ${r.mrr10.toFixed(4)}  ${r.latencyP50Ms.toFixed(1).padStart(6)}  ${r.latencyP95Ms.toFixed(1).padStart(6)}`,
          );
        }
      },
    );
}
