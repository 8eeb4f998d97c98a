import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/sample-index.js';

const RACERS = 4;
const TRIALS = 100;
const LOCK = '.priors-ingest.lock';

let workers: ChildProcess[] = [];
let work: string;
let deadPid: number;

function next(worker: ChildProcess, type: string): Promise<{ type: string; ok?: boolean; error?: string }> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      worker.off('message', onMessage);
      resolve(m);
    };
    worker.on('message', onMessage);
  });
}

beforeAll(async () => {
  work = tempDir();
  // A pid that belonged to a process which has exited.
  deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  workers = Array.from({ length: RACERS }, () =>
    fork(path.join(import.meta.dirname, 'lock-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  await Promise.all(workers.map((w) => next(w, 'ready')));
});

afterAll(() => {
  for (const w of workers) w.kill();
  rmSync(work, { recursive: true, force: true });
});

async function race(dir: string): Promise<number> {
  const at = Date.now() + 15;
  const results = await Promise.all(
    workers.map((w) => {
      const r = next(w, 'result');
      w.send({ type: 'go', dir, at });
      return r;
    }),
  );
  for (const r of results) if (!r.ok) expect(r.error).toMatch(/is locked by another ingest \(pid \d+\)/);
  await Promise.all(
    workers.map((w) => {
      const r = next(w, 'released');
      w.send({ type: 'release' });
      return r;
    }),
  );
  return results.filter((r) => r.ok).length;
}

describe('ingest lock under a race', { timeout: 120_000 }, () => {
  it(`gives it to exactly one of ${RACERS} processes, ${TRIALS} times, with no lock present`, async () => {
    const holders: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const dir = path.join(work, `fresh-${i}`);
      holders.push(await race(dir));
      // Released and nothing left behind (no temporary files, no claims); a holder that created the folder and
      // wrote nothing to it removes it.
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    }
    expect(holders.filter((n) => n !== 1)).toEqual([]);
  });

  it(`gives a stale lock to exactly one of ${RACERS} processes, ${TRIALS} times`, async () => {
    const holders: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const dir = path.join(work, `stale-${i}`);
      mkdirSync(dir);
      // Alternate a lock of a dead process with a 0.1.0-style lock killed before it wrote its pid.
      writeFileSync(path.join(dir, LOCK), i % 2 === 0 ? `${deadPid} 00000000-dead-4000-8000-000000000000\n` : '');
      holders.push(await race(dir));
      expect(readdirSync(dir)).toEqual([]);
    }
    expect(holders.filter((n) => n !== 1)).toEqual([]);
  });
});
