/**
 * Retrieval quality on the real archive, scored the way issue 15's hidden sets are: the built CLI indexes both
 * archive roots (`priors ingest <roots>`, defaults plus whatever PRIORS_MODEL / PRIORS_MODEL_DIR say), runs
 * `priors search --batch <questions> -k 20 --json --mode <m>` for bm25, vector and hybrid, and scores
 * eval/archive-questions.jsonl:
 *   - documents are ranked by their first passage in the result list;
 *   - hit@5: a relevant document among the top 5 documents; MRR@10: 1/rank of the first relevant document in
 *     the top 10; recall@10: share of the relevant documents in the top 10;
 *   - line@5: one of the top 5 passages overlaps an answering line range of a relevant document.
 * Results are matched to relevant files by path suffix (`path`, then `docId`), so a docId that gains or loses
 * a root-name prefix still matches.
 *
 *   npm run eval:archive [-- --half test|tune|all] [--json] [--write] [--rebuild] [--max-tokens N] [--overlap N]
 *
 * The index is cached under $PRIORS_CACHE_DIR (or ~/.cache/priors)/eval-archive/<key>, the key hashing the
 * archive's contents, the model settings and the sources outside src/search (query-side code), so a rerun after a
 * ranking change skips ingest.
 * --write updates this configuration's block in the `eval:archive` section of BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { ARCHIVE_ROOTS, findDataRoot, HALVES, KINDS, loadQuestions, QUESTIONS_FILE } from './lib/archive-questions.js';
import { aggregate, type Hit, type Metrics, type Scored, scoreQuestion } from './lib/archive-score.js';
import { machineLine, mdTable, today, upsertMarked } from './lib/bench-report.js';
import { BENCHMARKS_MD, CLI as cli, REPO as repo } from './lib/paths.js';

const MODES = ['bm25', 'vector', 'hybrid'] as const;
type Mode = (typeof MODES)[number];
const K = 20;

// ---------- arguments ----------
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const halfArg = argv.includes('--half') ? argv[argv.indexOf('--half') + 1] : undefined;
if (halfArg !== undefined && !['test', 'tune', 'all'].includes(halfArg)) {
  console.error('eval-archive: --half must be test, tune or all');
  process.exit(2);
}
// Chunk sizes to compare (passed to `priors ingest`); the BENCHMARKS block is for the defaults only.
const chunkArgs = ['--max-tokens', '--overlap'].flatMap((name) => {
  const i = argv.indexOf(name);
  if (i < 0) return [];
  const value = argv[i + 1] ?? '';
  if (!/^\d+$/.test(value)) {
    console.error(`eval-archive: ${name} needs a whole number`);
    process.exit(2);
  }
  return [name, value];
});
if (chunkArgs.length > 0 && flag('--write')) {
  console.error('eval-archive: --write records the defaults; leave out --max-tokens and --overlap');
  process.exit(2);
}

const dataRoot = findDataRoot();
if (!dataRoot) {
  console.log('eval-archive: the archive (../shared/data/interconnects and rlhf-book/chapters) is not here; nothing to evaluate.');
  process.exit(0);
}
if (!existsSync(cli)) {
  console.error(`eval-archive: ${cli} is missing; run npm run build first (npm run eval:archive does).`);
  process.exit(2);
}
const { questions, problems } = loadQuestions(QUESTIONS_FILE, dataRoot);
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}

// ---------- index (cached) ----------
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  for (const f of walk(dir)) h.update(path.relative(dir, f)).update('\0').update(readFileSync(f)).update('\0');
}

const roots = ARCHIVE_ROOTS.map((r) => path.join(dataRoot, r));
const modelEnv = { PRIORS_MODEL: process.env.PRIORS_MODEL ?? '', PRIORS_MODEL_DIR: process.env.PRIORS_MODEL_DIR ?? '' };
// Every PRIORS_* setting can change what ingest builds (model, backend, chunking…), so all of them key the cache;
// LLM and token settings cannot, and are left out so they neither rebuild the index nor get near the report.
const ingestSettings = Object.entries(process.env)
  .filter(([k]) => k.startsWith('PRIORS_') && !/LLM|TOKEN|KEY|CACHE_DIR|EVAL_DATA/.test(k))
  .sort(([a], [b]) => a.localeCompare(b));
function indexKey(): string {
  const h = createHash('sha256');
  for (const r of roots) hashTree(h, r);
  h.update(JSON.stringify(ingestSettings));
  h.update(JSON.stringify(chunkArgs));
  // The code decides chunking, fields and vectors, so a code change means a fresh index — except src/search,
  // which only reads the index: ranking experiments reuse it (the searches themselves run the fresh build).
  for (const f of walk(path.join(repo, 'src'))) {
    if (f.startsWith(path.join(repo, 'src', 'search') + path.sep)) continue;
    h.update(path.relative(repo, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  h.update(readFileSync(path.join(repo, 'package-lock.json')));
  return h.digest('hex').slice(0, 16);
}

/** The commit measured (short hash, `+` when files other than BENCHMARKS.md have uncommitted changes), so an old block reads as old. */
function commit(): string {
  const git = (...a: string[]) => spawnSync('git', a, { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md') ? `${head}+` : head;
}

function run(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: process.env });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

const cacheRoot = path.join(process.env.PRIORS_CACHE_DIR ?? path.join(homedir(), '.cache', 'priors'), 'eval-archive');
const index = path.join(cacheRoot, indexKey());
const infoFile = path.join(index, '..', `${path.basename(index)}.json`);
if (flag('--rebuild')) rmSync(index, { recursive: true, force: true });
let info: { model: string; documents: number; chunks: number; ingestMs: number };
// The key hashes src/, but the searches run dist/: a stale build (the script run without `npm run build`) can
// have written an index of another format under this key. The CLI refuses such an index, so ask it first.
if (existsSync(index) && existsSync(infoFile) && run(['stats', '--index', index, '--json']).status !== 0) {
  console.error(`eval-archive: the cached index ${index} is not readable by this build; indexing again`);
  rmSync(index, { recursive: true, force: true });
}
if (existsSync(index) && existsSync(infoFile)) {
  info = JSON.parse(readFileSync(infoFile, 'utf8')) as typeof info;
  const now = new Date();
  utimesSync(infoFile, now, now); // marks it recently used, so pruning keeps it
  console.error(`eval-archive: reusing index ${index}`);
} else {
  rmSync(index, { recursive: true, force: true });
  mkdirSync(cacheRoot, { recursive: true });
  console.error(`eval-archive: indexing ${roots.join(' + ')} → ${index}`);
  const t0 = performance.now();
  const r = run(['ingest', ...roots, ...chunkArgs, '--index', index, '--json']);
  const ingestMs = performance.now() - t0;
  if (r.status !== 0) {
    console.error(r.stderr.trim());
    console.error(`eval-archive: ingest failed (exit ${r.status})`);
    process.exit(1);
  }
  const report = JSON.parse(r.stdout) as { model: string; documents: number; chunks: number };
  info = { model: report.model, documents: report.documents, chunks: report.chunks, ingestMs };
  writeFileSync(infoFile, JSON.stringify(info));
  pruneCache();
}

/** Every build of the CLI gets its own index, so keep only the most recently used few. */
function pruneCache(keep = 6): void {
  const entries = readdirSync(cacheRoot)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ key: f.slice(0, -'.json'.length), used: statSync(path.join(cacheRoot, f)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { key } of entries.slice(keep)) {
    rmSync(path.join(cacheRoot, key), { recursive: true, force: true });
    rmSync(path.join(cacheRoot, `${key}.json`), { force: true });
  }
}

// ---------- search and score ----------
const work = mkdtempSync(path.join(tmpdir(), 'priors-eval-archive-'));
const batchFile = path.join(work, 'queries.jsonl');
writeFileSync(batchFile, `${questions.map((q) => JSON.stringify({ id: q.id, query: q.query })).join('\n')}\n`);

const scored = new Map<Mode, Scored[]>();
const failed = new Map<Mode, string>();
try {
  for (const mode of MODES) {
    const r = run(['search', '--batch', batchFile, '-k', String(K), '--json', '--mode', mode, '--index', index]);
    if (r.status !== 0) {
      failed.set(mode, r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
      continue;
    }
    const byId = new Map<string, Hit[]>();
    for (const line of r.stdout.split('\n')) {
      if (!line.trim()) continue;
      const rec = JSON.parse(line) as { id: string; results: Hit[] };
      byId.set(rec.id, rec.results);
    }
    scored.set(
      mode,
      questions.map((q) => ({ id: q.id, kind: q.kind, half: q.half, ...scoreQuestion(q, byId.get(q.id) ?? []) })),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// ---------- report ----------
type Slice = 'tune' | 'test' | 'all';
const slices: Slice[] = halfArg ? [halfArg as Slice] : [...HALVES].reverse(); // test first: it is the figure that counts
const inSlice = (s: Slice) => (r: Scored) => s === 'all' || r.half === s;

function metricsFor(mode: Mode, s: Slice): { all: Metrics; byKind: Record<string, Metrics> } {
  const rows = (scored.get(mode) ?? []).filter(inSlice(s));
  return { all: aggregate(rows), byKind: Object.fromEntries(KINDS.map((k) => [k, aggregate(rows.filter((r) => r.kind === k))])) };
}

const f2 = (x: number) => x.toFixed(2);
function table(s: Slice): string {
  const modes = MODES.filter((m) => scored.has(m));
  const header = ['kind', 'n', ...modes.flatMap((m) => [`${m} hit@5`, 'MRR@10', 'R@10', 'line@5'])];
  const rows = ['all', ...KINDS].map((k) => {
    const per = modes.map((m) => {
      const mm = metricsFor(m, s);
      return k === 'all' ? mm.all : (mm.byKind[k] as Metrics);
    });
    return [k === 'all' ? '**all**' : k, per[0]?.n ?? 0, ...per.flatMap((x) => [f2(x.hit5), f2(x.mrr10), f2(x.recall10), f2(x.line5)])];
  });
  return mdTable(header, rows);
}

const modelLabel = info.model;
const command = `${modelEnv.PRIORS_MODEL_DIR ? `PRIORS_MODEL_DIR=${modelEnv.PRIORS_MODEL_DIR} ` : ''}${modelEnv.PRIORS_MODEL ? `PRIORS_MODEL=${modelEnv.PRIORS_MODEL} ` : ''}npm run eval:archive -- --write`;

if (flag('--json')) {
  const out = {
    date: today(),
    machine: machineLine(),
    command,
    model: modelLabel,
    index: { path: index, ...info },
    questions: questions.length,
    failedModes: Object.fromEntries(failed),
    modes: Object.fromEntries(
      [...scored.keys()].map((m) => [m, Object.fromEntries((['tune', 'test', 'all'] as Slice[]).map((s) => [s, metricsFor(m, s)]))]),
    ),
    perQuestion: Object.fromEntries([...scored].map(([m, rows]) => [m, rows])),
  };
  console.log(JSON.stringify(out, null, 2));
} else {
  const chunking = chunkArgs.length ? ` (ingest ${chunkArgs.join(' ')})` : '';
  console.log(`${questions.length} questions · model: ${modelLabel}${chunking} · ${info.documents} documents, ${info.chunks} passages`);
  for (const [m, why] of failed) console.log(`${m}: not run (${why})`);
  for (const s of slices) {
    console.log(`\n${s === 'all' ? 'all questions' : `${s} half`}\n${table(s)}`);
  }
}

if (flag('--write')) {
  const slug = modelLabel.replace(/[^A-Za-z0-9._/-]+/g, '-').replace(/^-|-$/g, '');
  const noModel = /no embedding model/i.test(modelLabel);
  const block = [
    `### Model: ${modelLabel}`,
    '',
    `\`${command}\` · ${today()} · commit ${commit()} · ${machineLine()} · ${questions.length} questions (${questions.filter((q) => q.half === 'test').length} test, ${questions.filter((q) => q.half === 'tune').length} tune) · index: ${info.documents} documents, ${info.chunks} passages, ingest ${(info.ingestMs / 1000).toFixed(1)} s`,
    ...(modelEnv.PRIORS_MODEL
      ? []
      : ['', 'No model named: this is what `priors ingest <roots>` uses by default on a machine that cannot download one.']),
    ...(noModel
      ? ['', 'No embedding model could be loaded, so the index is full-text only and vector / hybrid fall back to keyword search.']
      : []),
    ...[...failed].map(([m, why]) => `\n${m}: not run (${why})`),
    '',
    '**Held-out (test) half**',
    '',
    table('test'),
    '',
    '**Tune half**',
    '',
    table('tune'),
  ].join('\n');
  const intro = [
    '## Retrieval quality on the real archive (eval/archive-questions.jsonl)',
    '',
    'Questions written the way the author asks from memory (paraphrases, descriptions of named things, misremembered quotes, topics,',
    "timelines, a guest's words, book passages, facts), each with its answering documents and lines; `npm run eval:overlap` shows how",
    'few words they share with the answer. Scored like the hidden sets: `priors search --batch -k 20 --json`, documents ranked by their',
    'first passage; hit@5 and MRR@10 over documents, R@10 = share of relevant documents in the top 10, line@5 = an answering line range',
    'is in the top 5 passages. Tune on the tune half; the test half is the figure to report.',
  ].join('\n');
  const current = readFileSync(BENCHMARKS_MD, 'utf8');
  const start = '<!-- eval:archive:start -->';
  const end = '<!-- eval:archive:end -->';
  const i = current.indexOf(start);
  const j = current.indexOf(end);
  const existing = i >= 0 && j > i ? current.slice(i + start.length, j) : `\n${intro}\n`;
  const body = upsertMarked(existing, `<!-- eval:archive:${slug}:start -->`, `<!-- eval:archive:${slug}:end -->`, block);
  writeFileSync(BENCHMARKS_MD, upsertMarked(current, start, end, body.trim()));
  console.error(`eval-archive: wrote the "${modelLabel}" block of BENCHMARKS.md`);
}
