/**
 * Real SIGKILLs at random moments of `priors ingest` runs, across edit / delete / revert sequences: used by
 * scripts/bench-faults.ts (the real archive) and tests/index/sigkill.slow.test.ts (copies of the sample corpus).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { auditIndex, markdownFiles } from './index-integrity.js';

export interface KillRoundsOptions {
  cli: string;
  archive: string;
  index: string;
  /** Extra `priors ingest` arguments (model, model dir). */
  ingestArgs: string[];
  rounds: number;
  seed: number;
  /** Files edited per round (each gets a new closing line). */
  editsPerRound: number;
  log?: (line: string) => void;
}

export interface KillRoundsResult {
  /** Ingests killed with SIGKILL while running. */
  kills: number;
  /** Killed runs that had already finished before the signal (not counted as kills). */
  finishedFirst: number;
  /** Ingests after a kill that exited 0. */
  recoveries: number;
  /** Documents audited across all rounds (each round audits the whole index). */
  documentsChecked: number;
  chunksChecked: number;
  orphans: number;
  problems: string[];
}

/** A small deterministic generator (mulberry32), so a run can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ingestSync(o: KillRoundsOptions): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [o.cli, 'ingest', o.archive, '--index', o.index, ...o.ingestArgs, '--json'], {
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

/**
 * Each round: edit some files (a unique marker line each), delete one, start an ingest and SIGKILL it at a
 * random moment of its expected duration; then revert half of the edits and delete one edited file (so the
 * killed run's text must not survive), ingest again and audit the whole index against the files.
 */
export async function runKillRounds(o: KillRoundsOptions): Promise<KillRoundsResult> {
  const random = rng(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const result: KillRoundsResult = {
    kills: 0,
    finishedFirst: 0,
    recoveries: 0,
    documentsChecked: 0,
    chunksChecked: 0,
    orphans: 0,
    problems: [],
  };
  const first = ingestSync(o);
  if (first.status !== 0) throw new Error(`first ingest failed: ${first.stderr}`);
  // How long a changing ingest takes here, so kills land anywhere in it (measured on the first round).
  let typicalMs = 0;
  for (let round = 0; round < o.rounds; round++) {
    const files = [...markdownFiles(o.archive).keys()];
    const before = new Map<string, string>();
    const markers = new Map<string, string>();
    for (let i = 0; i < o.editsPerRound; i++) {
      const rel = pick(files);
      const abs = path.join(o.archive, rel);
      if (!before.has(rel)) before.set(rel, readFileSync(abs, 'utf8'));
      const marker = `Fault round ${round} edit ${i}: marmot ${o.seed}-${round}-${i}.`;
      appendFileSync(abs, `\n\n${marker}\n`);
      markers.set(marker, rel);
    }
    const victim = pick(files.filter((f) => !before.has(f)));
    const victimText = readFileSync(path.join(o.archive, victim), 'utf8');
    rmSync(path.join(o.archive, victim));

    const child = spawn(process.execPath, [o.cli, 'ingest', o.archive, '--index', o.index, ...o.ingestArgs, '--json'], { stdio: 'ignore' });
    const started = performance.now();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const delay = typicalMs > 0 ? random() * typicalMs : null;
    if (delay === null) {
      // The first round is not killed: it measures how long a changing ingest takes.
      await exited;
      typicalMs = performance.now() - started;
      o.log?.(`a changing ingest takes ${(typicalMs / 1000).toFixed(1)} s; kills land uniformly within that`);
    } else {
      const timer = new Promise((resolve) => setTimeout(resolve, delay));
      const code = await Promise.race([exited, timer.then(() => 'timer' as const)]);
      if (code === 'timer') {
        child.kill('SIGKILL');
        await exited;
        result.kills++;
      } else {
        result.finishedFirst++;
      }
    }

    // Between the killed run and the next: revert half of the edits, delete one edited file, restore the victim.
    const gone: string[] = [];
    const edited = [...before.keys()];
    for (const [i, rel] of edited.entries()) {
      if (i % 2 === 0) {
        writeFileSync(path.join(o.archive, rel), before.get(rel) ?? '');
        for (const [m, f] of markers) if (f === rel) gone.push(m);
      }
    }
    const removed = edited[1];
    if (removed) {
      rmSync(path.join(o.archive, removed));
      for (const [m, f] of markers) if (f === removed) gone.push(m);
    }
    writeFileSync(path.join(o.archive, victim), victimText);

    const next = ingestSync(o);
    if (next.status !== 0) result.problems.push(`round ${round}: ingest after the kill failed: ${next.stderr.trim()}`);
    else if (delay !== null) result.recoveries++;
    const audit = await auditIndex(o.index, o.archive, gone);
    result.documentsChecked += audit.documents;
    result.chunksChecked += audit.chunks;
    result.orphans += audit.orphans;
    result.problems.push(...audit.problems.map((p) => `round ${round}: ${p}`));
    // Put the deleted edited file back (reverted), so the archive keeps its size.
    if (removed) writeFileSync(path.join(o.archive, removed), before.get(removed) ?? '');
    o.log?.(
      `round ${round + 1}/${o.rounds}: ${delay === null ? 'measured' : `killed at ${(delay / 1000).toFixed(2)} s`}, ${audit.documents} documents audited, ${audit.problems.length} problems`,
    );
  }
  return result;
}
