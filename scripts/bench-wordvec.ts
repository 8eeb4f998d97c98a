/**
 * The word-vector embedder (src/embed/wordvec), measured the way users meet it: the one-time conversion of
 * the npm package into the cache, the table's size, a query process's load, query embedding, the offline
 * default ingest of the real archive (no model flags, no hub), the cold start of a default `priors search`,
 * and the fusion weight: SciFact nDCG@10 and the archive questions' hit@5 / MRR@10 (tune and test halves) for
 * BM25, vector and hybrid at several dense weights, through the real Retriever and search tool.
 * Writes the `wordvec` section of BENCHMARKS.md.  Usage: npm run bench:wordvec
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadBeir } from '../src/eval/beir.js';
import { evaluateMode } from '../src/eval/evaluate.js';
import type { IngestReport } from '../src/ingest/ingest.js';
import { modelSettings, WORDVEC_MODEL_ID } from '../src/embed/registry.js';
import { searchTool } from '../src/tools/search.js';
import { callTool } from '../src/tools/tool.js';
import { createToolContext } from '../src/tools/context.js';
import { ARCHIVE_ROOTS, findDataRoot, loadQuestions, QUESTIONS_FILE } from './lib/archive-questions.js';
import { aggregate, type Hit, scoreQuestion } from './lib/archive-score.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, REPO as repo } from './lib/paths.js';

const dataRoot = findDataRoot();
if (!dataRoot) {
  console.log('bench-wordvec: ../shared/data is not here; nothing to measure.');
  process.exit(0);
}
const WEIGHTS = [0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8];
const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-wordvec-'));
const cacheDir = path.join(work, 'cache');
// The offline default: no model named, no model folder; the hub is unreachable on the benchmark machine.
const env: NodeJS.ProcessEnv = { ...process.env, PRIORS_CACHE_DIR: cacheDir };
delete env.PRIORS_MODEL;
delete env.PRIORS_MODEL_DIR;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const loadBefore = load();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const s1 = (ms: number) => (ms / 1000).toFixed(1);

/** Run a snippet in a fresh Node process (sources through tsx: dist/ is one bundle); it prints one JSON line. */
function child<T>(code: string): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env, cwd: repo });
  return JSON.parse(out.trim().split('\n').pop() ?? 'null') as T;
}

try {
  // 1. Conversion, once per machine (fresh cache).
  const conversion = child<{ ms: number; rssMb: number; bytes: number }>(`
    import { statSync } from 'node:fs';
    import { openWordTable, tablePath } from './src/embed/wordvec/table.ts';
    const t = performance.now();
    await openWordTable({ cacheDir: process.env.PRIORS_CACHE_DIR });
    const ms = performance.now() - t;
    console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, bytes: statSync(tablePath(process.env.PRIORS_CACHE_DIR)).size }));`);
  console.error(`conversion ${s1(conversion.ms)} s`);

  // 2. Hub failure: how long the default model takes to fail offline.
  const hub = child<{ ms: number; error: string }>(`
    import { loadEmbedder } from './src/embed/load-embedder.ts';
    import { DEFAULT_MODEL_ID } from './src/embed/registry.ts';
    const t = performance.now();
    let error = '';
    try { await loadEmbedder({ backend: 'transformers', model: DEFAULT_MODEL_ID, cacheDir: process.env.PRIORS_CACHE_DIR }); } catch (e) { error = e.message; }
    console.log(JSON.stringify({ ms: performance.now() - t, error }));`);
  console.error(`hub failure ${hub.ms.toFixed(0)} ms: ${hub.error}`);

  // 3. Archive ingest with no flags: the offline default.
  const index = path.join(work, 'archive-index');
  const roots = ARCHIVE_ROOTS.map((r) => path.join(dataRoot, r));
  const ingestRun = (extra: string[] = []) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, 'ingest', ...roots, '--index', index, '--json', ...extra], {
      encoding: 'utf8',
      env,
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
    return { wallMs: performance.now() - t, report: JSON.parse(r.stdout) as IngestReport };
  };
  const ingest = ingestRun();
  const noop = ingestRun();
  console.error(`archive ingest ${s1(ingest.wallMs)} s (${ingest.report.model}), no-op ${s1(noop.wallMs)} s`);

  // 4. A query process: open the table and the index's statistics, embed one question (fresh processes).
  const loads = Array.from({ length: 5 }, () =>
    child<{ openMs: number; restoreMs: number; queryMs: number }>(`
      import { IndexStore } from './src/index/store.ts';
      import { loadWordVecEmbedder } from './src/embed/wordvec/embedder.ts';
      let t = performance.now();
      const e = await loadWordVecEmbedder({ cacheDir: process.env.PRIORS_CACHE_DIR });
      const openMs = performance.now() - t;
      const store = await IndexStore.open(${JSON.stringify(index)});
      t = performance.now();
      e.restore(store.corpusStatistics);
      const restoreMs = performance.now() - t;
      t = performance.now();
      await e.embedQuery('where I argued the recent wins for open chatbots were about their data, not the optimizer');
      console.log(JSON.stringify({ openMs, restoreMs, queryMs: performance.now() - t }));`),
  );

  // 5. Cold start: default search on the word-vector index against bare Node, paired runs.
  const timeIt = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return performance.now() - t;
  };
  const pairs = Array.from({ length: 7 }, () => ({
    node: timeIt(['-e', '0']),
    search: timeIt([cli, 'search', 'open models a year behind', '--index', index, '-k', '10']),
    bm25: timeIt([cli, 'search', 'open models a year behind', '--index', index, '-k', '10', '--mode', 'bm25']),
  }));
  const nodeMs = median(pairs.map((p) => p.node));
  const searchMs = median(pairs.map((p) => p.search));
  const bm25Ms = median(pairs.map((p) => p.bm25));

  // 6. Archive questions: BM25, vector and hybrid at several weights, through the search tool (as `search --batch`).
  const { questions } = loadQuestions(QUESTIONS_FILE, dataRoot);
  const ctx = createToolContext({ index, cacheDir, onWarning: (m) => console.error(`warning: ${m}`) });
  const retriever = await ctx.retriever();
  const embedMs: number[] = [];
  for (const q of questions.slice(0, 50)) {
    const t = performance.now();
    await retriever.embedder?.embedQuery(q.query);
    embedMs.push(performance.now() - t);
  }
  type Row = { label: string; weight: number; mode: 'bm25' | 'vector' | 'hybrid' };
  const configs: Row[] = [
    { label: 'bm25', weight: 0, mode: 'bm25' },
    { label: 'vector', weight: 1, mode: 'vector' },
    ...WEIGHTS.map((w) => ({ label: `hybrid ${w}`, weight: w, mode: 'hybrid' as const })),
  ];
  const archiveRows: (string | number)[][] = [];
  for (const c of configs) {
    retriever.denseWeight = c.weight;
    const scored = [];
    for (const q of questions) {
      const out = await callTool(searchTool, ctx, { query: q.query, k: 20, mode: c.mode });
      scored.push({ id: q.id, kind: q.kind, half: q.half, ...scoreQuestion(q, out.results as unknown as Hit[]) });
    }
    const tune = aggregate(scored.filter((r) => r.half === 'tune'));
    const test = aggregate(scored.filter((r) => r.half === 'test'));
    archiveRows.push([
      c.label,
      tune.hit5.toFixed(3),
      tune.mrr10.toFixed(3),
      test.hit5.toFixed(3),
      test.mrr10.toFixed(3),
      test.line5.toFixed(3),
    ]);
    console.error(`archive ${c.label}: tune hit@5 ${tune.hit5.toFixed(3)}, test hit@5 ${test.hit5.toFixed(3)}`);
  }
  await ctx.close();

  // 7. SciFact: the dataset indexed the same way (offline default), then every configuration on one index.
  const scifactDir = path.join(dataRoot, 'beir', 'scifact');
  const data = loadBeir(scifactDir, 'test');
  const scifactIndex = path.join(work, 'scifact-index');
  const sr = spawnSync(process.execPath, [cli, 'ingest', data.corpusFile, '--index', scifactIndex, '--json'], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 28,
  });
  if (sr.status !== 0) throw new Error(`scifact ingest failed: ${sr.stderr}`);
  const sctx = createToolContext({ index: scifactIndex, cacheDir, onWarning: (m) => console.error(`warning: ${m}`) });
  const sret = await sctx.retriever();
  const scifactRows: (string | number)[][] = [];
  for (const c of configs) {
    sret.denseWeight = c.weight;
    const r = await evaluateMode(sret, data, c.mode);
    scifactRows.push([c.label, r.ndcg10.toFixed(4), r.recall10.toFixed(4), r.mrr10.toFixed(4)]);
    console.error(`scifact ${c.label}: nDCG@10 ${r.ndcg10.toFixed(4)}`);
  }
  await sctx.close();

  const weight = modelSettings(WORDVEC_MODEL_ID, 'wordvec').denseWeight;
  const body = [
    '## Word vectors (the offline default)',
    '',
    `Command: \`npm run bench:wordvec\` (scripts/bench-wordvec.ts) — ${today()} — ${machineLine()}. Load average before: ${loadBefore}; after: ${load()}.`,
    'No model named and no model folder, on a machine without hub access, so `priors ingest` falls back to `priors/wordvec-sg-100d`; a fresh cache.',
    '',
    mdTable(
      ['what', 'figure'],
      [
        [
          'hub failure for the default model (then the fallback)',
          `${hub.ms.toFixed(0)} ms (${hub.error.replace(/\|/g, '/').slice(0, 90)})`,
        ],
        ['conversion of the npm package into the cache (once)', `${s1(conversion.ms)} s, peak RSS ${conversion.rssMb.toFixed(0)} MB`],
        ['table size', `${(conversion.bytes / 1e6).toFixed(1)} MB`],
        ['query process: open table (median of 5 fresh processes)', `${median(loads.map((l) => l.openMs)).toFixed(1)} ms`],
        ['query process: restore the index statistics', `${median(loads.map((l) => l.restoreMs)).toFixed(1)} ms`],
        ['embed one question (first, cold process)', `${median(loads.map((l) => l.queryMs)).toFixed(2)} ms`],
        ['embed one question (warm, median of 50)', `${median(embedMs).toFixed(2)} ms`],
        [
          `archive ingest, no flags (${ingest.report.documents} documents, ${ingest.report.chunks} chunks)`,
          `${s1(ingest.wallMs)} s wall (in-process ${s1(ingest.report.totalMs)} s; embedding ${s1(ingest.report.timings.embedMs)} s)`,
        ],
        ['archive no-op re-ingest', `${s1(noop.wallMs)} s wall`],
        [
          'cold `priors search` (default hybrid) vs `node -e 0`, medians of 7 paired runs',
          `${searchMs.toFixed(0)} ms vs ${nodeMs.toFixed(0)} ms = ${(searchMs / nodeMs).toFixed(1)}×`,
        ],
        ['cold `priors search --mode bm25`', `${bm25Ms.toFixed(0)} ms = ${(bm25Ms / nodeMs).toFixed(1)}×`],
      ],
    ),
    '',
    `**Fusion weight** (the registry's \`denseWeight\`, now ${weight}): hybrid = BM25 + weight × vector over min-max-normalised lists. The constraint is hybrid ≥ BM25 on SciFact and on the archive questions; the weight is chosen on SciFact and the archive's tune half, the test half is held out.`,
    '',
    `SciFact (BEIR test split, ${data.qrels.size} queries, ${sr.stdout ? (JSON.parse(sr.stdout) as IngestReport).chunks : '?'} chunks):`,
    '',
    mdTable(['configuration', 'nDCG@10', 'R@10', 'MRR@10'], scifactRows),
    '',
    `Archive questions (eval/archive-questions.jsonl, ${questions.length}: ${questions.filter((q) => q.half === 'tune').length} tune, ${questions.filter((q) => q.half === 'test').length} test), scored like the hidden sets (search -k 20, documents by first passage):`,
    '',
    mdTable(['configuration', 'tune hit@5', 'tune MRR@10', 'test hit@5', 'test MRR@10', 'test line@5'], archiveRows),
  ].join('\n');
  writeBenchSection('wordvec', body);
  console.log(body);
} finally {
  rmSync(work, { recursive: true, force: true });
}
