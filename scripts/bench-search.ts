/**
 * Retrieval benchmark, all figures from one run:
 *  1. quality on BEIR SciFact (test qrels): bm25 / vector / hybrid, plus the fusion alternatives, beside published baselines;
 *  2. latency on the Interconnects index: warm in-process search p50/p95 (query embedding included), `ask`,
 *     and `priors search` / `priors ask` as fresh CLI processes.
 * Writes the `search` section of BENCHMARKS.md.  Usage: npm run bench:search
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBeir } from '../src/eval/beir.js';
import { evaluateMode, type ModeScores } from '../src/eval/evaluate.js';
import { loadEmbedder } from '../src/embed/load-embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { percentile } from '../src/search/metrics.js';
import { openRetriever } from '../src/search/open-retriever.js';
import { askTool } from '../src/tools/ask.js';
import { createToolContext } from '../src/tools/context.js';
import { callTool } from '../src/tools/tool.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, INTERCONNECTS, SHARED_DATA, SHARED_MODELS as modelDir } from './lib/paths.js';

const model = 'priors/static-en-256';
const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-search-'));

async function buildIndex(roots: string[], index: string): Promise<void> {
  const embedder = await loadEmbedder({ backend: 'transformers', model, modelDir });
  try {
    await ingest({ roots, index, embedder });
  } finally {
    await embedder.dispose();
  }
}

function row(label: string, s: ModeScores): (string | number)[] {
  return [
    label,
    s.ndcg10.toFixed(3),
    s.recall10.toFixed(3),
    s.recall100.toFixed(3),
    s.mrr10.toFixed(3),
    s.latencyP50Ms.toFixed(1),
    s.latencyP95Ms.toFixed(1),
  ];
}

try {
  // 1. SciFact quality.
  const scifactDir = path.join(SHARED_DATA, 'beir', 'scifact');
  const data = loadBeir(scifactDir);
  const scifactIndex = path.join(work, 'scifact');
  console.error('indexing SciFact…');
  await buildIndex([data.corpusFile], scifactIndex);
  const sf = await openRetriever({ index: scifactIndex, modelDir });
  const bm25 = await evaluateMode(sf, data, 'bm25');
  const vector = await evaluateMode(sf, data, 'vector');
  const hybrid = await evaluateMode(sf, data, 'hybrid');
  sf.fusion = 'rrf';
  const rrfSame = await evaluateMode(sf, data, 'hybrid');
  sf.denseWeight = 1;
  const rrfPlain = await evaluateMode(sf, data, 'hybrid');
  sf.fusion = 'convex';
  const convexEqual = await evaluateMode(sf, data, 'hybrid');
  const registryWeight = sf.embedder?.settings.denseWeight ?? 0;
  sf.store.close();
  await sf.embedder?.dispose();

  // 2. Latency on the Interconnects archive.
  console.error('indexing Interconnects…');
  const icIndex = path.join(work, 'interconnects');
  await buildIndex([INTERCONNECTS], icIndex);
  const manifest = JSON.parse(readFileSync(path.join(SHARED_DATA, 'interconnects.manifest.json'), 'utf8')) as
    | { files?: { title?: string }[] }
    | { title?: string }[];
  const entries = Array.isArray(manifest) ? manifest : (manifest.files ?? []);
  const topical = [
    'open models a year behind',
    'reward model over-optimization',
    'calibration of language models',
    'synthetic data for post-training',
    'reasoning models and RL',
  ];
  const queries = [...topical, ...entries.map((e) => e.title ?? '').filter(Boolean)].slice(0, 100);
  const ctx = createToolContext({ index: icIndex, modelDir });
  const ic = await ctx.retriever();
  for (const q of queries.slice(0, 5)) await ic.search({ query: q, k: 10 }); // warm-up
  const searchMs: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await ic.search({ query: q, k: 10 });
    searchMs.push(performance.now() - t);
  }
  const askMs: number[] = [];
  for (const q of topical) {
    const t = performance.now();
    await callTool(askTool, ctx, { question: q });
    askMs.push(performance.now() - t);
  }
  await ctx.close();
  const env = { ...process.env, PRIORS_MODEL_DIR: modelDir };
  const timeCli = (args: string[]) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      execFileSync(process.execPath, [cli, ...args, '--index', icIndex, '--json'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      runs.push(performance.now() - t);
    }
    return percentile(runs, 50);
  };
  const cliSearch = timeCli(['search', 'open models a year behind']);
  const cliAsk = timeCli(['ask', 'prior posts on calibration']);

  const ms = (x: number) => x.toFixed(1);
  const body = [
    '## Retrieval quality (BEIR SciFact, test qrels) and latency',
    '',
    `Command: \`npm run bench:search\` (scripts/bench-search.ts) — ${today()} — ${machineLine()}. Model: \`${model}\` (static stand-in). All rows from this one run.`,
    '',
    mdTable(
      ['run', 'nDCG@10', 'R@10', 'R@100', 'MRR@10', 'p50 ms', 'p95 ms'],
      [
        row('bm25 (LanceDB FTS: stemming, stop words, title in the indexed text)', bm25),
        row('vector (static-en-256 alone)', vector),
        row(`**hybrid (default): convex min-max fusion, dense weight ${registryWeight} from the registry**`, hybrid),
        row(`hybrid, RRF k=60, dense weight ${registryWeight}`, rrfSame),
        row('hybrid, plain RRF (equal weights)', rrfPlain),
        row('hybrid, convex fusion, equal weights', convexEqual),
      ],
    ),
    '',
    `Checks: bm25 nDCG@10 ≥ 0.67: ${bm25.ndcg10 >= 0.67 ? 'met' : 'MISSED'} (${bm25.ndcg10.toFixed(3)}); hybrid ≥ bm25 − 0.005 nDCG@10: ${hybrid.ndcg10 >= bm25.ndcg10 - 0.005 ? 'met' : 'MISSED'} (${(hybrid.ndcg10 - bm25.ndcg10).toFixed(3)}); hybrid ≥ bm25 recall@100: ${hybrid.recall100 >= bm25.recall100 ? 'met' : 'MISSED'} (${(hybrid.recall100 - bm25.recall100).toFixed(3)}).`,
    'Published SciFact nDCG@10 for comparison (from ../shared/data/README.md): BM25 0.665 (BEIR), 0.679 (Pyserini); all-MiniLM-L6-v2 0.645; e5-small-v2 0.689; bge-small-en-v1.5 0.713; gte-small 0.727.',
    '',
    `Latency on the Interconnects index (${queries.length} queries: 5 topical + post titles), in-process, warm, query embedding included, k=10:`,
    '',
    mdTable(
      ['measure', 'p50 ms', 'p95 ms'],
      [
        ['hybrid search', ms(percentile(searchMs, 50)), ms(percentile(searchMs, 95))],
        ['ask (offline, grouped by document)', ms(percentile(askMs, 50)), ms(percentile(askMs, 95))],
      ],
    ),
    '',
    `Fresh CLI process, median of 5: \`priors search\` ${ms(cliSearch)} ms, \`priors ask\` ${ms(cliAsk)} ms (Node start-up, index open and model load included). Targets: warm p50 ≤ 30 ms (${percentile(searchMs, 50) <= 30 ? 'met' : 'MISSED'}), p95 ≤ 80 ms (${percentile(searchMs, 95) <= 80 ? 'met' : 'MISSED'}), CLI ≤ 1.5 s (${cliSearch <= 1500 ? 'met' : 'MISSED'}).`,
  ].join('\n');
  writeBenchSection('search', body);
  console.error(body);
} finally {
  rmSync(work, { recursive: true, force: true });
}
