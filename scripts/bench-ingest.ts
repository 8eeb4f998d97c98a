/**
 * Ingest benchmark on the Interconnects archive (../shared/data/interconnects) with the static stand-in model:
 * full ingest, no-op re-ingest, re-ingest after editing one post — each as a fresh CLI process, as a user runs it.
 * Then repeated re-ingests (no-op, one edited post) as whole processes paired with `node -e 0`, with this model
 * and with the default word vectors. Writes the `ingest` and `reingest` sections of BENCHMARKS.md.
 * Usage: npm run bench:ingest
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { IngestReport } from '../src/ingest/ingest.js';
import { DEFERRED_VERSIONS_MAX } from '../src/index/store.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, INTERCONNECTS, SHARED_MODELS } from './lib/paths.js';
import { median, type ProcessTime, processTimer } from './lib/process-timing.js';

const model = 'priors/static-en-256';

const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-ingest-'));
// A private copy, so one post can be edited (../shared is read-only).
const archive = path.join(work, 'interconnects');
cpSync(INTERCONNECTS, archive, { recursive: true });
const index = path.join(work, 'index');

function run(label: string, extra: string[] = []): { report: IngestReport; wallMs: number } {
  const t = performance.now();
  const out = execFileSync(
    process.execPath,
    [cli, 'ingest', archive, '--index', index, '--model', model, '--model-dir', SHARED_MODELS, '--json', ...extra],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = performance.now() - t;
  const report = JSON.parse(out) as IngestReport;
  console.error(
    `${label}: ${(wallMs / 1000).toFixed(2)} s wall, ${report.added} added, ${report.updated} updated, ${report.chunks} chunks`,
  );
  return { report, wallMs };
}

try {
  const full = run('full ingest');
  const noop = run('no-op re-ingest');
  const year = path.join(archive, '2024');
  const post = path.join(year, readdirSync(year).sort()[3]!);
  appendFileSync(post, '\n\nAn added closing paragraph, to measure an incremental re-ingest.\n');
  const edit = run('edit one post');

  const r = full.report;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const words = Number(
    execFileSync(process.execPath, [cli, 'stats', '--index', index, '--json'], { encoding: 'utf8' }).match(/"words": (\d+)/)?.[1] ?? 0,
  );
  const body = [
    '## Ingest (Interconnects archive)',
    '',
    `Command: \`npm run bench:ingest\` (scripts/bench-ingest.ts) — ${today()} — ${machineLine()}.`,
    `Data: ../shared/data/interconnects/public (${r.documents} documents, ${words.toLocaleString('en-US')} words), model \`${model}\` (static stand-in), default chunking. Each run is a fresh \`priors ingest --json\` process; wall time includes Node start-up and model load.`,
    '',
    mdTable(
      ['run', 'wall s', 'added', 'updated', 'unchanged', 'chunks', 'peak RSS MB'],
      [full, noop, edit].map((x, i) => [
        ['full ingest', 'no-op re-ingest', 're-ingest after editing one post'][i]!,
        s(x.wallMs),
        x.report.added,
        x.report.updated,
        x.report.unchanged,
        x.report.chunks,
        (x.report.peakRssBytes / 2 ** 20).toFixed(0),
      ]),
    ),
    '',
    `Full ingest: ${(r.chunksWritten / (r.totalMs / 1000)).toFixed(0)} chunks/s over the ingest itself (${s(r.totalMs)} s in-process). Time by stage — embedding runs in worker threads while the next batch is read and chunked, so stages overlap and the shares add up to more than 100%:`,
    '',
    mdTable(
      ['stage', 's', 'share'],
      (
        [
          ['read + parse', r.timings.readParseMs],
          ['chunk (tokenizer-measured)', r.timings.chunkMs],
          ['embed', r.timings.embedMs],
          ['write (LanceDB delete + add, merge-insert)', r.timings.writeMs],
          ['index (FTS build, compaction)', r.timings.indexMs],
        ] as const
      ).map(([name, ms]) => [name, s(ms), `${((100 * ms) / r.totalMs).toFixed(0)}%`]),
    ),
    '',
    `Targets: full < 30 s (${full.wallMs < 30_000 ? 'met' : 'MISSED'}), no-op < 2 s (${noop.wallMs < 2000 ? 'met' : 'MISSED'}), one edit < 3 s (${edit.wallMs < 3000 ? 'met' : 'MISSED'}), peak RSS < 1.5 GB (${Math.max(full.report.peakRssBytes, noop.report.peakRssBytes, edit.report.peakRssBytes) < 1.5 * 2 ** 30 ? 'met' : 'MISSED'}).`,
  ].join('\n');
  writeBenchSection('ingest', body);
  console.error('BENCHMARKS.md updated (ingest)');
  writeBenchSection('reingest', reingestSection(post));
  console.error('BENCHMARKS.md updated (reingest)');
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * No-op and one-edit re-ingests, REPEATS each, every run paired with a bare `node -e 0` so machine load shows
 * in both columns: with the stand-in model above, and with the default model (word vectors, no flags).
 */
function reingestSection(post: string): string {
  const REPEATS = 7;
  // An edit run adds two chunk-table versions (the chunks' delete and add), so the run that passes
  // DEFERRED_VERSIONS_MAX, which also optimises the chunk table, is among these (the range's top).
  const EDIT_REPEATS = Math.max(REPEATS, DEFERRED_VERSIONS_MAX / 2 + 1);
  const defaultIndex = path.join(work, 'index-default');
  execFileSync(process.execPath, [cli, 'ingest', archive, '--index', defaultIndex, '--json'], {
    stdio: 'ignore',
    maxBuffer: 64 * 1024 * 1024,
  });
  const setups = [
    {
      label: `\`${model}\` (transformers.js)`,
      args: [cli, 'ingest', archive, '--index', index, '--model', model, '--model-dir', SHARED_MODELS, '--json'],
    },
    { label: 'default (word vectors)', args: [cli, 'ingest', archive, '--index', defaultIndex, '--json'] },
  ];
  const timed = processTimer(work);
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const rows: (string | number)[][] = [];
  let edits = 0;
  for (const setup of setups) {
    for (const kind of ['no-op re-ingest', 'one post edited'] as const) {
      const bare: number[] = [];
      const times: ProcessTime[] = [];
      const repeats = kind === 'one post edited' ? EDIT_REPEATS : REPEATS;
      for (let i = 0; i < repeats; i++) {
        if (kind === 'one post edited')
          appendFileSync(post, `\n\nEdit ${++edits}: one more paragraph, to measure an incremental re-ingest.\n`);
        times.push(timed(setup.args));
        bare.push(timed(['-e', '0']).wall);
      }
      const runs = times.map((t) => t.wall);
      const slowest = times.reduce((a, b) => (b.wall > a.wall ? b : a));
      const target = kind === 'no-op re-ingest' ? 1000 : 2000;
      console.error(`${setup.label}, ${kind}: ${median(runs).toFixed(0)} ms (node -e 0: ${median(bare).toFixed(0)} ms)`);
      rows.push([
        setup.label,
        kind,
        (median(runs) / 1000).toFixed(2),
        `${(Math.min(...runs) / 1000).toFixed(2)}–${(Math.max(...runs) / 1000).toFixed(2)}`,
        (median(times.map((t) => t.cpu)) / 1000).toFixed(2),
        (slowest.cpu / 1000).toFixed(2),
        median(bare).toFixed(0),
        // Every run counts, the one that optimises too: a user meets any of them.
        `every run ≤ ${target / 1000} s: ${Math.max(...runs) <= target ? 'met' : 'MISSED'}`,
      ]);
    }
  }
  return [
    '## Re-ingest as whole processes (Interconnects archive)',
    '',
    `Command: \`npm run bench:ingest\` (scripts/bench-ingest.ts) — ${today()} — ${machineLine()}.`,
    `Each row: ${REPEATS} fresh \`node dist/cli/main.js ingest <archive> --json\` processes on the 196-post archive (an edit run appends a paragraph to one post first; edit rows run ${EDIT_REPEATS} times, so one of them also optimises the chunk table, deferred by smaller runs — the range's top), each followed by a bare \`node -e 0\`. Load average (1/5/15 min) before: ${loadBefore}; after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}.`,
    '',
    mdTable(['model', 'run', 'median s', 'range s', 'CPU s median', 'CPU s of the slowest run', '`node -e 0` median ms', 'target'], rows),
    '',
    'CPU: user + system time of all the process’s threads, reported by the process itself at exit; it depends far less than wall time on what else the machine runs. The slowest edit run is the one that optimises the chunk table (src/index/store.ts, DEFERRED_ROWS_MAX): LanceDB’s optimize() rewrites the whole character n-gram index to add the new rows (≈ 1 s of CPU on this archive; it has no incremental mode for it), then compacts the table, which with stable row ids leaves the indexes as they are.',
  ].join('\n');
}
