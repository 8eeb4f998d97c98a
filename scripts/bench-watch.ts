/**
 * Watch mode on the real archive: how long from saving a file until a search finds it, with `priors ingest
 * --watch` running as its own process (the built CLI) over a copy of the Interconnects archive. Each round
 * appends a sentence with a unique word to a post (or adds a new post, or deletes one) and polls a keyword
 * search through the library every 20 ms until it follows. Writes BENCHMARKS.md (section `watch`).
 *
 * node --import tsx scripts/bench-watch.ts [--rounds 20] [--no-write]   (after `npm run build`; needs ../shared)
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openArchive } from '../src/lib.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI, INTERCONNECTS as ARCHIVE, SHARED_MODELS as MODEL_DIR } from './lib/paths.js';

const MODEL = 'priors/static-en-256';

const args = parseArgs({ options: { rounds: { type: 'string', default: '20' }, 'no-write': { type: 'boolean', default: false } } }).values;
const rounds = Number(args.rounds);
if (!existsSync(ARCHIVE)) {
  console.error(`bench-watch: ${ARCHIVE} not found; it needs ../shared/data`);
  process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-watch-'));
const archive = path.join(work, 'interconnects');
cpSync(ARCHIVE, archive, { recursive: true });
const index = path.join(work, 'index');
const posts = readdirSync(archive, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.md'))
  .sort();

const child = spawn(
  process.execPath,
  [CLI, 'ingest', archive, '--index', index, '--model', MODEL, '--model-dir', MODEL_DIR, '--watch', '--json'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const batches: { totalMs: number; changed: string[] | null }[] = [];
let buffer = '';
let watching = false;
child.stdout.on('data', (d: Buffer) => {
  buffer += d.toString();
  let nl = buffer.indexOf('\n');
  while (nl >= 0) {
    const event = JSON.parse(buffer.slice(0, nl)) as { event: string; totalMs?: number; changed?: string[] | null };
    buffer = buffer.slice(nl + 1);
    if (event.event === 'watching') watching = true;
    if (event.event === 'ingest') batches.push({ totalMs: event.totalMs ?? 0, changed: event.changed ?? null });
    nl = buffer.indexOf('\n');
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(probe: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const load = loadavg()[0]!;
const started = Date.now();
await until(() => watching, 15 * 60_000, 'the first ingest');
const firstIngestS = (Date.now() - started) / 1000;
const archiveApi = await openArchive(index, { modelDir: MODEL_DIR });
const found = async (word: string) => (await archiveApi.search({ query: word, mode: 'bm25', k: 1 })).results.length > 0;

const kinds: Record<'edit' | 'add' | 'delete', number[]> = { edit: [], add: [], delete: [] };
for (let i = 0; i < rounds; i++) {
  const word = `watchprobe${i}qz`;
  const kind = i % 5 === 3 ? 'add' : i % 5 === 4 ? 'delete' : 'edit';
  const t = Date.now();
  if (kind === 'edit') {
    appendFileSync(path.join(archive, posts[(i * 37) % posts.length]!), `\nA closing note mentions ${word} once.\n`);
    await until(() => found(word), 60_000, word);
  } else if (kind === 'add') {
    writeFileSync(
      path.join(archive, `new-${i}.md`),
      `---\ntitle: New ${i}\ndate: 2025-09-0${(i % 9) + 1}\n---\n\nA new post about ${word}.\n`,
    );
    await until(() => found(word), 60_000, word);
  } else {
    rmSync(path.join(archive, `new-${i - 1}.md`));
    await until(async () => !(await found(`watchprobe${i - 1}qz`)), 60_000, `watchprobe${i - 1}qz to leave`);
  }
  kinds[kind].push(Date.now() - t);
  // Let the batch's clean-up finish before the next save, as saves by hand are seconds apart.
  await sleep(1500);
}
await archiveApi.close();
child.kill('SIGINT');
await new Promise((r) => child.on('exit', r));
rmSync(work, { recursive: true, force: true });

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
const all = [...kinds.edit, ...kinds.add, ...kinds.delete];
const batchMs = batches.filter((b) => b.changed !== null).map((b) => b.totalMs);
const row = (name: string, xs: number[]) => [name, xs.length, `${pct(xs, 0.5)} ms`, `${pct(xs, 0.95)} ms`, `${Math.max(...xs)} ms`];
const table = mdTable(
  ['save → searchable', 'rounds', 'median', 'p95', 'max'],
  [row('edit (a sentence appended)', kinds.edit), row('new file', kinds.add), row('deleted file', kinds.delete), row('all', all)],
);
console.log(table);
console.log(`batches: median ingest ${pct(batchMs, 0.5).toFixed(0)} ms; first ingest ${firstIngestS.toFixed(1)} s`);

if (!args['no-write']) {
  writeBenchSection(
    'watch',
    [
      '## Watch mode (`priors ingest --watch`, Interconnects archive)',
      '',
      `\`node --import tsx scripts/bench-watch.ts --rounds ${rounds}\` (after \`npm run build\`) on ${today()}, ${machineLine()}, load average ${load.toFixed(1)} when it started (other work shares the cores).`,
      `Archive: a copy of the Interconnects archive (${posts.length} Markdown files), model \`${MODEL}\`; the watch runs as its own process, searches are keyword searches through the library polled every 20 ms. The time includes the 300 ms debounce.`,
      '',
      table,
      '',
      `Each batch is a full incremental ingest of the root (every file hashed, the changed one re-chunked and re-embedded, one publish): median ${pct(batchMs, 0.5).toFixed(0)} ms per batch as the watch reports it (\`totalMs\`). The first ingest (the archive from nothing) took ${firstIngestS.toFixed(1)} s.`,
    ].join('\n'),
  );
}
