/**
 * `priors check` on the Interconnects archive (ingested with its URL template, model priors/static-en-256):
 * wall time and peak memory of whole `priors check --json` processes on drafts of growing size, made from the
 * test draft tests/check/fixtures/self-play-draft.md (one paragraph per line; the copies are numbered so no
 * two paragraphs are the same text). Writes the `check` section of BENCHMARKS.md.  Usage: npm run bench:check
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadEmbedder } from '../src/embed/load-embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, REPO as repo, SHARED_DATA, SHARED_MODELS as modelDir } from './lib/paths.js';

const model = 'priors/static-en-256';
const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-check-'));
const RUNS = 3;

/** The fixture's body repeated until `chars`, each copy's paragraphs marked with its number. */
function draftOf(chars: number): string {
  const fixture = readFileSync(path.join(repo, 'tests', 'check', 'fixtures', 'self-play-draft.md'), 'utf8');
  const [title, ...body] = fixture.trimEnd().split('\n');
  let out = `${title}\n${body.join('\n')}\n`;
  for (let copy = 2; out.length < chars; copy++) out += `${body.map((l) => `(${copy}) ${l}`).join('\n')}\n`;
  return out.slice(0, chars);
}

interface Run {
  ms: number;
  rssMb: number;
  out: { draft: { paragraphs: number; probes: number; notice: string | null } };
}

/** One whole process under GNU time (peak RSS in KB on stderr's last line). */
function checkOnce(file: string, index: string): Run {
  const started = performance.now();
  const stderrFile = path.join(work, 'time.txt');
  const stdout = execFileSync(
    '/usr/bin/time',
    ['-f', '%M', '-o', stderrFile, process.execPath, cli, 'check', file, '--json', '--index', index],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, PRIORS_MODEL_DIR: modelDir },
    },
  );
  const ms = performance.now() - started;
  const rssKb = Number(readFileSync(stderrFile, 'utf8').trim().split('\n').pop());
  return { ms, rssMb: rssKb / 1024, out: JSON.parse(stdout) as Run['out'] };
}

try {
  const index = path.join(work, 'index');
  console.error('indexing the Interconnects archive…');
  const embedder = await loadEmbedder({ backend: 'transformers', model, modelDir });
  try {
    await ingest({
      roots: [
        {
          path: path.join(SHARED_DATA, 'interconnects'),
          urlTemplate: 'https://www.interconnects.ai/p/{slug}',
          author: 'Nathan Lambert',
        },
      ],
      index,
      embedder,
    });
  } finally {
    await embedder.dispose();
  }
  const loadBefore = loadavg();
  const rows: (string | number)[][] = [];
  for (const chars of [2_650, 16_000, 64_000, 200_000]) {
    const file = path.join(work, `draft-${chars}.md`);
    writeFileSync(file, draftOf(chars));
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(checkOnce(file, index));
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const d = runs[0]!.out.draft;
    rows.push([
      chars.toLocaleString('en-US'),
      d.paragraphs,
      d.probes,
      (ms[Math.floor(RUNS / 2)]! / 1000).toFixed(1),
      Math.max(...runs.map((r) => r.rssMb)).toFixed(0),
      d.notice ? 'yes' : 'no',
    ]);
    console.error(rows.at(-1)!.join(' | '));
  }
  const loadAfter = loadavg();
  writeBenchSection(
    'check',
    [
      '## Draft check (`priors check`, Interconnects archive)',
      '',
      `Command: \`npm run bench:check\` (scripts/bench-check.ts) — ${today()} — ${machineLine()}.`,
      `Whole \`priors check draft.md --json\` processes (median of ${RUNS}; peak RSS the largest), index of the 196 Interconnects posts with ${model}; drafts made of the test draft tests/check/fixtures/self-play-draft.md repeated (one paragraph per line). Load average (1/5/15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}.`,
      '',
      mdTable(['draft chars', 'paragraphs checked', 'searches', 'wall s', 'peak RSS MB', 'capped (notice)'], rows),
      '',
      'Each paragraph is one hybrid search (a long one, several), each long sentence one more keyword search for self-overlap, each quote one quote check; a draft past 150 searches is checked up to there and says so.',
    ].join('\n'),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
