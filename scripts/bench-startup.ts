/**
 * Cold start: whole `node dist/cli/main.js …` processes, each paired with a bare `node -e 0` in the same run
 * (interleaved, so machine load hits both alike), as medians and ratios. Writes the `startup` section of
 * BENCHMARKS.md.  Usage: npm run bench:startup [-- --runs 31]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { asProgram } from '../src/cli/code-cache.js';
import { lazyArrowView } from './lib/arrow-view.mjs';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, REPO as repo, SAMPLE_CORPUS as corpus, SHARED_MODELS as models } from './lib/paths.js';
import { median, processTimer } from './lib/process-timing.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 31;
const QUERY = 'open models a year behind';

const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-startup-'));
// No user config, no model cache, no PRIORS_* from the caller: what a new user's machine does.
const home = path.join(work, 'home');
const baseEnv: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  XDG_CONFIG_HOME: home,
  PRIORS_CACHE_DIR: path.join(home, 'cache'),
};

function priors(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [cli, ...args], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const run = processTimer(work, baseEnv);
// Wall times come from processes run as a user runs them, without the CPU hook (see processTimer).
const runWall = processTimer(work, baseEnv, { cpu: false });

interface Row {
  label: string;
  args: string[];
  /** The script node runs with `args`: the bin, unless said otherwise. */
  script?: string;
  env?: Record<string, string>;
  target: number | null;
}

try {
  const fullText = path.join(work, 'fulltext');
  priors(['ingest', corpus, '--index', fullText, '--no-embed', '--json']);
  // The default offline model: whatever `priors ingest` uses on a machine with no model configured.
  const byDefault = path.join(work, 'default');
  priors(['ingest', corpus, '--index', byDefault, '--json']);
  const defaultModel = (JSON.parse(priors(['stats', '--index', byDefault, '--json'])) as { model: string }).model;

  // LanceDB alone (scripts/lib/startup-floor.ts): bundled as the programs are and run through the same code cache;
  // under node_modules/, where the bundle's require() finds LanceDB's native package as the programs' does.
  const floorDir = path.join(repo, 'node_modules', '.cache', 'priors-bench-floor');
  await build({
    absWorkingDir: repo,
    entryPoints: { 'startup-floor': 'scripts/lib/startup-floor.ts', 'startup-floor-run': 'scripts/lib/startup-floor-run.ts' },
    outdir: floorDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20.19',
    format: 'cjs',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    external: ['@lancedb/lancedb-*', '*.node'],
    plugins: [await lazyArrowView(repo)],
  });
  const floorProgram = path.join(floorDir, 'startup-floor.cjs');
  writeFileSync(floorProgram, asProgram(readFileSync(floorProgram, 'utf8')));
  const chunkTable = readdirSync(fullText)
    .find((f) => /^chunks_\d+\.lance$/.test(f))
    ?.replace(/\.lance$/, '');
  if (!chunkTable) throw new Error(`no chunk table in ${fullText}`);

  const rows: Row[] = [
    { label: '`priors --version`', args: ['--version'], target: 1.5 },
    { label: '`priors --help`', args: ['--help'], target: 1.5 },
    { label: '`priors search` on a full-text-only index', args: ['search', QUERY, '--index', fullText], target: 3 },
    {
      // What the first run of a command after an install or upgrade costs, before its code cache exists.
      label: '`priors search` on a full-text-only index, without the code cache (`NODE_DISABLE_COMPILE_CACHE=1`)',
      args: ['search', QUERY, '--index', fullText],
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
      target: null,
    },
    {
      label: 'LanceDB alone: connect, open the chunk table, one full-text query, print (the floor under any search)',
      script: path.join(floorDir, 'startup-floor-run.cjs'),
      args: [floorProgram, path.join(work, 'floor-cache'), fullText, chunkTable, QUERY],
      target: null,
    },
    {
      label: `\`priors search\` on an index built with the default offline model (${defaultModel})`,
      args: ['search', QUERY, '--index', byDefault],
      target: 5,
    },
  ];
  if (existsSync(models)) {
    const env = { PRIORS_MODEL_DIR: models, PRIORS_MODEL: 'priors/static-en-256' };
    const withModel = path.join(work, 'transformers');
    priors(['ingest', corpus, '--index', withModel, '--json'], env);
    rows.push(
      {
        label: '`priors search --mode bm25` on an index with a transformers.js model',
        args: ['search', QUERY, '--mode', 'bm25', '--index', withModel],
        env,
        target: 3,
      },
      {
        label: '`priors search` (hybrid) with a transformers.js model (priors/static-en-256)',
        args: ['search', QUERY, '--index', withModel],
        env,
        target: null,
      },
    );
  } else {
    console.error(`bench-startup: ${models} missing — skipping the transformers.js rows`);
  }

  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const results = rows.map((row) => {
    run([row.script ?? cli, ...row.args], row.env ?? {}); // warm the file cache once, untimed
    const bare: { wall: number; cpu: number }[] = [];
    const cmd: { wall: number; cpu: number }[] = [];
    const args = [row.script ?? cli, ...row.args];
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order so neither side always runs right after the other; wall and CPU from separate runs.
      for (const timer of [runWall, run]) {
        if (i % 2) {
          cmd.push(timer(args, row.env ?? {}));
          bare.push(timer(['-e', '0'], {}));
        } else {
          bare.push(timer(['-e', '0'], {}));
          cmd.push(timer(args, row.env ?? {}));
        }
      }
    }
    const m = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => median(xs.map((x) => x[k]).filter((v) => !Number.isNaN(v)));
    // Wall from the runs without the CPU hook (even positions), CPU from the runs with it.
    const unhooked = (xs: typeof cmd) => xs.filter((_, j) => j % 2 === 0);
    const r = { row, wall: m(unhooked(cmd), 'wall'), bareWall: m(unhooked(bare), 'wall'), cpu: m(cmd, 'cpu'), bareCpu: m(bare, 'cpu') };
    console.error(
      `${row.label}: wall ${r.wall.toFixed(0)} vs ${r.bareWall.toFixed(0)} ms → ${(r.wall / r.bareWall).toFixed(2)}×; cpu ${r.cpu.toFixed(0)} vs ${r.bareCpu.toFixed(0)} ms → ${(r.cpu / r.bareCpu).toFixed(2)}×`,
    );
    return r;
  });

  const body = [
    '## Cold start (whole processes)',
    '',
    `Command: \`npm run bench:startup\` (scripts/bench-startup.ts) — ${today()} — ${machineLine()}.`,
    `Each row: ${RUNS} runs of \`node dist/cli/main.js …\` interleaved with ${RUNS} runs of \`node -e 0\` (medians of whole processes), and as many again of each with the CPU hook for the CPU columns, on the sample corpus (\`corpus/\`); no user config, a fresh cache folder (the word-vector table is converted into it once, and an untimed first run of each row writes the command's code cache, before timing). Load average (1/5/15 min) before: ${loadBefore}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.`,
    '',
    mdTable(
      ['command', 'wall ms', '`node -e 0` wall ms', 'wall ratio', 'CPU ms', '`node -e 0` CPU ms', 'CPU ratio', 'target'],
      results.map((r) => [
        r.row.label,
        r.wall.toFixed(0),
        r.bareWall.toFixed(0),
        `${(r.wall / r.bareWall).toFixed(2)}×`,
        r.cpu.toFixed(0),
        r.bareCpu.toFixed(0),
        `${(r.cpu / r.bareCpu).toFixed(2)}×`,
        r.row.target === null ? 'report' : `≤ ${r.row.target}×`,
      ]),
    ),
    '',
    "`--version` and `--help` print text stored in the bin at build time; every other command runs a bundle of its command group through V8's code cache (src/cli/code-cache.ts), which a command's first run writes. Wall ratio is the target measure, timed on processes run as a user runs them; the CPU columns (user + system time of all the process's threads, reported by the process itself at exit through a `--require` hook, in runs of their own: the hook costs a bare `node -e 0` ~2 ms and a CommonJS program hardly anything, so it would flatter the wall ratios) say the same with less dependence on what else the machine is running. LanceDB and onnxruntime work on several threads, so a CPU ratio can exceed the wall ratio on an idle machine. The LanceDB-alone row (scripts/lib/startup-floor.ts) is LanceDB by itself, bundled and code-cached like the programs, loaded and read as priors loads and reads it (Arrow required lazily, results decoded by flechette): loading its native library and JavaScript, connecting, opening the chunk table, one full-text query. A search row's distance above it is what priors adds.",
  ].join('\n');
  writeBenchSection('startup', body);
  console.error('wrote the startup section of BENCHMARKS.md');
} finally {
  rmSync(work, { recursive: true, force: true });
  rmSync(path.join(repo, 'node_modules', '.cache', 'priors-bench-floor'), { recursive: true, force: true });
}
