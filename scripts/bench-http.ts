/**
 * HTTP load on `priors serve`: CONCURRENCY clients fire GET /api/search back to back for DURATION seconds at a
 * server on 127.0.0.1 (a separate `priors serve` process, as users run it), after a short one-client phase
 * for the unloaded latency. Reports throughput, latency percentiles, errors (must be 0) and the server's RSS
 * growth, and writes the `http` section of BENCHMARKS.md.
 *
 * Usage: node --import tsx scripts/bench-http.ts [--corpus interconnects|sample] [--index <path>]
 *                                                [--concurrency 200] [--duration 30]
 * Default data: the Interconnects archive (../shared/data/interconnects/public) indexed with the static model.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../src/embed/load-embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { percentile } from '../src/search/metrics.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { INTERCONNECTS, REPO as repo, SAMPLE_CORPUS, SHARED_MODELS as modelDir } from './lib/paths.js';

const model = 'priors/static-en-256';
const HOST = '127.0.0.1';

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'interconnects' },
    index: { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    duration: { type: 'string', default: '30' },
  },
});
const concurrency = Number(args.concurrency);
const durationS = Number(args.duration);
// Bounded on purpose: this is a loopback benchmark, not a stress tool.
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 500) throw new Error('--concurrency must be 1–500');
if (!Number.isFinite(durationS) || durationS < 1 || durationS > 120) throw new Error('--duration must be 1–120 seconds');
const corpora: Record<string, string> = {
  interconnects: INTERCONNECTS,
  sample: SAMPLE_CORPUS,
};
const corpusDir = corpora[args.corpus];
if (!corpusDir) throw new Error('--corpus must be interconnects or sample');

const QUERIES = [
  'open models a year behind',
  'reward model over-optimization',
  'calibration of language models',
  'synthetic data for post-training',
  'reasoning models and reinforcement learning',
  'what is RLHF for',
  'preference data collection',
  'evaluation benchmarks saturate',
  'DPO versus PPO',
  'scaling laws',
  'chatbot arena and vibes',
  'open source AI policy',
  'distillation from closed models',
  'character training and personality',
  'inference-time compute',
  'Llama license',
  'data contamination',
  'constitutional AI',
  'agents and tool use',
  'how to read a model card',
];

const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-http-'));
const since = (t: number) => performance.now() - t;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function buildIndex(): Promise<{ index: string; documents: number; chunks: number }> {
  const index = path.join(work, 'index');
  console.error(`indexing ${corpusDir} with ${model}…`);
  const embedder = await loadEmbedder({ backend: 'transformers', model, modelDir });
  const report = await ingest({ roots: [corpusDir!], index, embedder }).finally(() => embedder.dispose());
  return { index, documents: report.documents, chunks: report.chunks };
}

/** `priors serve` from source on a free loopback port; resolves with its URL once it is listening. */
function startServer(index: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    // tsx resolved here: the server runs in an empty folder so no ./priors.config.json applies.
    [
      '--import',
      import.meta.resolve('tsx'),
      path.join(repo, 'src', 'cli', 'main.ts'),
      'serve',
      '--host',
      HOST,
      '--port',
      '0',
      '--index',
      index,
      '--model-dir',
      modelDir,
      '--no-llm',
    ],
    { cwd: work, env: { ...process.env, XDG_CONFIG_HOME: work, PRIORS_TOKEN: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`priors serve exited (${code}) before listening:\n${out}`)));
  });
}

/** GET over a keep-alive agent (node:http: no dependency, and the pool size is explicit). */
function httpGet(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent, timeout: 120_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 120 s')));
    req.on('error', reject);
  });
}

interface Phase {
  requests: number;
  errors: number;
  errorSamples: string[];
  latencies: number[];
  wallMs: number;
}

/** `clients` loops, each sending its next search as soon as the last one is answered, until the deadline. */
async function load(url: string, clients: number, seconds: number, agent: Agent): Promise<Phase> {
  const phase: Phase = { requests: 0, errors: 0, errorSamples: [], latencies: [], wallMs: 0 };
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let next = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const query = QUERIES[next++ % QUERIES.length]!;
      const t = performance.now();
      try {
        const res = await httpGet(`${url}/api/search?${new URLSearchParams({ query, k: '10' })}`, agent);
        if (res.status !== 200 || !res.body.startsWith('{"query"')) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 120)}`);
        phase.latencies.push(since(t));
      } catch (err) {
        phase.errors++;
        if (phase.errorSamples.length < 5) phase.errorSamples.push((err as Error).message);
      }
      phase.requests++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  phase.wallMs = since(t0);
  return phase;
}

const ms = (x: number) => x.toFixed(0);

try {
  let index = args.index;
  let data: string;
  if (index) {
    data = `existing index ${index}`;
  } else {
    const built = await buildIndex();
    index = built.index;
    data = `${args.corpus === 'sample' ? 'the sample corpus (corpus/)' : 'the Interconnects archive (../shared/data/interconnects/public)'}, ${built.documents} documents / ${built.chunks} chunks, indexed with \`${model}\` (static stand-in model)`;
  }
  if (!existsSync(index)) throw new Error(`no index at ${index}`);

  const { child, url } = await startServer(index);
  const pid = child.pid!;
  // One connection per client, kept alive; nothing leaves the machine.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    // Warm-up: the first request loads the index and the model; then each query once.
    const tFirst = performance.now();
    const loadAtStart = loadavg()[0]!;
    const first = await httpGet(`${url}/api/search?query=warm+up`, agent);
    if (first.status !== 200) throw new Error(`warm-up search failed: HTTP ${first.status} ${first.body}`);
    const firstMs = since(tFirst);
    for (const q of QUERIES) await httpGet(`${url}/api/search?${new URLSearchParams({ query: q })}`, agent);

    console.error('one client, 5 s…');
    const single = await load(url, 1, 5, agent);
    const rssBefore = rssMiB(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 250);
    console.error(`${concurrency} clients, ${durationS} s…`);
    const loaded = await load(url, concurrency, durationS, agent).finally(() => clearInterval(sampler));
    const rssAfter = rssMiB(pid);

    const row = (label: string, p: Phase) => [
      label,
      p.requests,
      (p.latencies.length / (p.wallMs / 1000)).toFixed(1),
      ms(percentile(p.latencies, 50)),
      ms(percentile(p.latencies, 90)),
      ms(percentile(p.latencies, 99)),
      ms(Math.max(...p.latencies)),
      p.errors,
    ];
    const body = [
      '## HTTP API under load (`priors serve`)',
      '',
      `Command: \`node --import tsx scripts/bench-http.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` (scripts/bench-http.ts) — ${today()} — ${machineLine()}.`,
      `Data: ${data}. Server: \`priors serve --host 127.0.0.1 --port 0\` in its own process (from source via tsx, no LLM); load generator: node:http keep-alive clients in the script's process on the same machine, ${concurrency} keep-alive connections each sending \`GET /api/search?query=…&k=10\` (hybrid search; ${QUERIES.length} queries in rotation) as soon as its previous answer arrives, for ${durationS} s. Both share the machine's CPUs.`,
      '',
      mdTable(
        ['phase', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'],
        [row('1 client, 5 s', single), row(`${concurrency} clients, ${durationS} s`, loaded)],
      ),
      '',
      `First search after start (opens the index and loads the model): ${ms(firstMs)} ms. Server RSS: ${rssBefore.toFixed(0)} MiB before the ${concurrency}-client phase, peak ${rssPeak.toFixed(0)} MiB, ${rssAfter.toFixed(0)} MiB after (growth ${(rssAfter - rssBefore).toFixed(0)} MiB).`,
      `With ${concurrency} requests in flight, latency is mostly queueing: p50 ≈ concurrency ÷ throughput. 1-minute load average when the run started: ${loadAtStart.toFixed(1)} (other work on the machine slows every figure).`,
    ].join('\n');
    console.log(body);
    const errors = single.errors + loaded.errors;
    if (errors > 0) {
      console.error(`\n${errors} errors, e.g.:\n${[...single.errorSamples, ...loaded.errorSamples].join('\n')}`);
      console.error('BENCHMARKS.md not updated: the run had errors.');
      process.exitCode = 1;
    } else {
      writeBenchSection('http', body);
      console.error('\nwrote the http section of BENCHMARKS.md');
    }
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
