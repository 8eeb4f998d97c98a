/**
 * Fault injection and index growth on the real archive (../shared/data/interconnects/public), into
 * BENCHMARKS.md (section `faults`):
 *  - real SIGKILLs at random moments of `priors ingest` runs that edit and delete files, with reverts and
 *    deletions before the next run; after each, the whole index is audited against the files
 *    (scripts/lib/index-integrity.ts): documents = files, chunks verbatim at their lines, no orphans, no
 *    deleted or reverted text;
 *  - growth: index size after 30 one-edit re-ingests against a fresh build of the same files, and whether a
 *    no-op ingest writes anything.
 *
 * node --import tsx scripts/bench-faults.ts [--rounds 25] [--seed 7] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runKillRounds } from './lib/fault-injection.js';
import { folderBytes, folderListing, markdownFiles } from './lib/index-integrity.js';
import { machineLine, mdTable, today, writeBenchSection } from './lib/bench-report.js';
import { CLI as cli, INTERCONNECTS, SHARED_MODELS } from './lib/paths.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '25' },
    seed: { type: 'string', default: '7' },
    'no-write': { type: 'boolean', default: false },
  },
});
const source = INTERCONNECTS;
const model = 'priors/static-en-256';
const ingestArgs = ['--model', model, '--model-dir', SHARED_MODELS];
const work = mkdtempSync(path.join(tmpdir(), 'priors-bench-faults-'));
const log = (line: string) => process.stderr.write(`${line}\n`);

function ingest(archive: string, index: string): void {
  const r = spawnSync(process.execPath, [cli, 'ingest', archive, '--index', index, ...ingestArgs, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
}

const mb = (n: number) => (n / 2 ** 20).toFixed(1);

try {
  // 1. Kills.
  const killArchive = path.join(work, 'kill-archive');
  cpSync(source, killArchive, { recursive: true });
  const documents = markdownFiles(killArchive).size;
  const rounds = Number(args.rounds);
  const t = performance.now();
  const kills = await runKillRounds({
    cli,
    archive: killArchive,
    index: path.join(work, 'kill-index'),
    ingestArgs,
    rounds,
    seed: Number(args.seed),
    editsPerRound: 40,
    log,
  });
  const killMinutes = (performance.now() - t) / 60_000;
  for (const p of kills.problems.slice(0, 20)) log(`PROBLEM ${p}`);

  // 2. Growth: 30 one-edit re-ingests against a fresh build of the same files; a no-op run's writes.
  const growArchive = path.join(work, 'grow-archive');
  const growIndex = path.join(work, 'grow-index');
  cpSync(source, growArchive, { recursive: true });
  ingest(growArchive, growIndex);
  const first = folderBytes(growIndex);
  const files = [...markdownFiles(growArchive).keys()].sort();
  for (let i = 0; i < 30; i++) {
    appendFileSync(path.join(growArchive, files[(i * 7) % files.length] ?? ''), `\n\nOne more line, edit ${i}.\n`);
    ingest(growArchive, growIndex);
  }
  const after30 = folderBytes(growIndex);
  const before = folderListing(growIndex);
  ingest(growArchive, growIndex);
  const after = folderListing(growIndex);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (f) => JSON.stringify(before.get(f)) !== JSON.stringify(after.get(f)),
  ).length;
  const freshIndex = path.join(work, 'fresh-index');
  ingest(growArchive, freshIndex);
  const fresh = folderBytes(freshIndex);
  const ratio = after30 / fresh;
  log(
    `growth: first build ${mb(first)} MB, after 30 one-edit re-ingests ${mb(after30)} MB, fresh build ${mb(fresh)} MB (${ratio.toFixed(2)}×); no-op run changed ${changed} files`,
  );

  const body = [
    '## Faults and index growth',
    '',
    `\`node --import tsx scripts/bench-faults.ts --rounds ${rounds} --seed ${args.seed}\` (after \`npm run build\`) on ${today()}, ${machineLine()}.`,
    `Archive: the Interconnects archive (${documents} Markdown files), model \`${model}\`.`,
    '',
    `Each round edits 40 files (a unique closing line each) and deletes one, starts \`priors ingest\` and SIGKILLs it at a random moment of a changing ingest's duration; then reverts half of the edits, deletes one edited file, restores the deleted one, runs \`priors ingest\` again and audits the whole index against the files (scripts/lib/index-integrity.ts: documents = files, each row the file's current hash with exactly its chunks, every chunk verbatim at its offsets and within its lines, no chunk without a document, no text of a deleted or reverted version). The first round is not killed: it measures the duration.`,
    '',
    mdTable(
      ['figure', 'value'],
      [
        ['SIGKILLs during an ingest', kills.kills],
        ['killed runs that had finished before the signal', kills.finishedFirst],
        ['ingests after a kill that completed (exit 0)', kills.recoveries],
        ['documents audited (all rounds)', kills.documentsChecked],
        ['chunks audited (all rounds)', kills.chunksChecked],
        ['orphan chunks found', kills.orphans],
        ['other audit problems', kills.problems.length],
        ['wall time', `${killMinutes.toFixed(1)} min`],
      ],
    ),
    '',
    'Growth (the same archive; every ingest removes the table versions its published manifest does not name):',
    '',
    mdTable(
      ['index', 'size'],
      [
        ['first build', `${mb(first)} MB`],
        ['after 30 one-edit re-ingests', `${mb(after30)} MB`],
        ['fresh build of the final files', `${mb(fresh)} MB`],
        ['ratio (after 30 edits / fresh)', `${ratio.toFixed(2)}×`],
        ['files changed in the index folder by a no-op ingest', changed],
      ],
    ),
  ].join('\n');
  if (!args['no-write']) writeBenchSection('faults', body);
  process.stdout.write(`${body}\n`);
  if (kills.problems.length > 0 || kills.orphans > 0) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
