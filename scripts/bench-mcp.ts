/**
 * MCP latency as an agent sees it: `priors mcp` spawned over stdio by the SDK's own client.
 *  - initialize: spawn → `initialize` result (Node start, CLI imports, handshake; the model is not loaded yet);
 *  - first search right after initialize (waits for the index and model, which load in the background);
 *  - first search once the background load is done, and warm searches after it.
 * Median of RUNS fresh processes each. Writes the `mcp` section of BENCHMARKS.md.
 * Usage: npm run build && node --import tsx scripts/bench-mcp.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { loadEmbedder } from '../src/embed/load-embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { percentile } from '../src/search/metrics.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, INTERCONNECTS as archive, SHARED_MODELS as modelDir } from './lib/paths.js';

const RUNS = 5;
const model = 'priors/static-en-256';
const QUERIES = [
  'open models a year behind',
  'reward model over-optimization',
  'calibration of language models',
  'synthetic data for post-training',
  'reasoning models and RL',
  'what is RLHF for',
];

if (!existsSync(cli)) throw new Error(`${cli} is missing — run \`npm run build\` first`);
const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-mcp-'));
const since = (t: number) => performance.now() - t;
const median = (xs: number[]) => percentile(xs, 50);

interface Session {
  client: Client;
  /** ms from spawn until the server logged that the index and model are loaded. */
  ready: Promise<number>;
  initMs: number;
}

async function start(index: string): Promise<Session> {
  // An empty config home and working directory: only the flags below configure the server.
  const env = { ...getDefaultEnvironment(), XDG_CONFIG_HOME: work };
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp', '--index', index, '--model-dir', modelDir],
    env,
    cwd: work,
    stderr: 'pipe',
  });
  const t0 = performance.now();
  const ready = new Promise<number>((resolve) => {
    let err = '';
    (transport.stderr as Readable | null)?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('priors mcp: ready')) resolve(since(t0));
    });
  });
  const client = new Client({ name: 'bench-mcp', version: '1.0.0' });
  await client.connect(transport);
  return { client, ready, initMs: since(t0) };
}

async function search(client: Client, query: string): Promise<number> {
  const t = performance.now();
  const r = CallToolResultSchema.parse(await client.callTool({ name: 'search', arguments: { query, k: 10 } }));
  const ms = since(t);
  if (r.isError) throw new Error(`search failed: ${JSON.stringify(r.content)}`);
  return ms;
}

/** Figures taken on a busy machine are slower; the load average says how busy. */
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

try {
  console.error('indexing the Interconnects archive…');
  const index = path.join(work, 'index');
  const embedder = await loadEmbedder({ backend: 'transformers', model, modelDir });
  const report = await ingest({ roots: [archive], index, embedder }).finally(() => embedder.dispose());

  const loadBefore = load();
  const versionMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [cli, '--version'], { stdio: 'ignore' });
    versionMs.push(since(t));
  }

  // A: the agent searches the moment the server is up.
  const initMs: number[] = [];
  const firstMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`run ${i + 1}/${RUNS} (search right after initialize)`);
    const s = await start(index);
    initMs.push(s.initMs);
    firstMs.push(await search(s.client, QUERIES[0]!));
    await s.client.close();
  }

  // B: the agent searches later, after the background load.
  const loadMs: number[] = [];
  const afterReadyMs: number[] = [];
  const warmMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    console.error(`run ${i + 1}/${RUNS} (search after the background load)`);
    const s = await start(index);
    initMs.push(s.initMs);
    loadMs.push((await s.ready) - s.initMs);
    afterReadyMs.push(await search(s.client, QUERIES[0]!));
    for (const q of QUERIES.slice(1)) warmMs.push(await search(s.client, q));
    await s.client.close();
  }

  const ms = (x: number) => `${Math.round(x)} ms`;
  const body = [
    '## MCP server (`priors mcp` over stdio)',
    '',
    `Command: \`npm run build && node --import tsx scripts/bench-mcp.ts\` (scripts/bench-mcp.ts) — ${today()} — ${machineLine()}.`,
    `Index: the Interconnects archive, ${report.documents} documents / ${report.chunks} chunks, model \`${model}\`. Client: the MCP SDK's \`Client\` over \`StdioClientTransport\` spawning \`node dist/cli/main.js mcp\`, as an agent does. Medians of ${RUNS} fresh processes per row (initialize: ${initMs.length}; warm search: ${warmMs.length} calls). Load average (1/5/15 min) before the timed runs: ${loadBefore}; after: ${load()}.`,
    '',
    mdTable(
      ['measure', 'median'],
      [
        ['spawn → `initialize` result', ms(median(initMs))],
        ['first `search`, sent right after `initialize` (waits for the background index + model load)', ms(median(firstMs))],
        ['`initialize` → index and model loaded in the background', ms(median(loadMs))],
        ['first `search` after the background load', ms(median(afterReadyMs))],
        ['warm `search` (k=10)', ms(median(warmMs))],
        ['for reference: `priors --version` (Node start + CLI imports)', ms(median(versionMs))],
      ],
    ),
  ].join('\n');
  writeBenchSection('mcp', body);
  console.log(body);
} finally {
  rmSync(work, { recursive: true, force: true });
}
