import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { IndexLockedError } from '../core/errors.js';

const LOCK_FILE = '.priors-ingest.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Take the ingest lock of a local index folder. A lock left by a killed process (dead pid) is taken over,
 * so a SIGKILLed ingest never blocks the next one. Returns the release function.
 */
export function acquireIngestLock(indexDir: string): () => void {
  mkdirSync(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readPid(file) === process.pid) unlinkSync(file);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPid(file);
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw new IndexLockedError(indexDir, owner);
      try {
        unlinkSync(file);
      } catch {
        // Another process took over the stale lock first; the next attempt sees its pid.
      }
    }
  }
  throw new IndexLockedError(indexDir, readPid(file) ?? -1);
}
