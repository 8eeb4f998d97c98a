import { createHash, randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IndexLockedError, IndexNotFolderError } from '../core/errors.js';

const LOCK_FILE = '.priors-ingest.lock';
/** A stale claim on a stale claim on … is a chain of deaths within microseconds; give up rather than loop. */
const MAX_CLAIM_DEPTH = 3;

/** Tokens of the locks this process holds: a lock with our pid but another token was left by an earlier process that had our pid. */
const heldTokens = new Set<string>();

interface Holder {
  pid: number | null;
  token: string | null;
  /** Names this very lock file (inode + content), so a claim on it can never apply to a later lock. */
  key: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder of a lock file, or null when it no longer exists. */
function readHolder(file: string): Holder | null {
  try {
    const ino = statSync(file, { bigint: true }).ino;
    const content = readFileSync(file, 'utf8');
    const [pidText, token] = content.trim().split(/\s+/);
    const pid = Number.parseInt(pidText ?? '', 10);
    const digest = createHash('sha256').update(content).digest('hex').slice(0, 16);
    return { pid: Number.isFinite(pid) ? pid : null, token: token ?? null, key: `${ino}-${digest}` };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A lock whose process is gone (or that was never complete: a 0.1.0 lock killed before its pid was written). */
function isStale(holder: Holder): boolean {
  if (holder.pid === null) return true;
  if (holder.pid === process.pid) return holder.token === null || !heldTokens.has(holder.token);
  return !isAlive(holder.pid);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Link our complete lock file to `target`; false when something else is there. */
function linkExclusive(tmp: string, target: string): boolean {
  try {
    linkSync(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Remove a stale lock file — but only the one we looked at. Every process that finds it stale races to create
 * `<file>.takeover-<key>` with an exclusive link; exactly one wins, checks the file is still that lock (only a
 * claim holder can remove it, so it cannot change between the check and the unlink), removes it and its
 * claim. A loser that arrives after the claim is gone finds a different lock (another key) and leaves it alone.
 */
function removeStale(tmp: string, file: string, holder: Holder, depth: number): void {
  const claim = `${file}.takeover-${holder.key}`;
  if (!linkExclusive(tmp, claim)) {
    const claimant = readHolder(claim);
    // A claimant that died between claiming and releasing leaves its claim behind: the same rule applies to it.
    if (claimant && isStale(claimant) && depth < MAX_CLAIM_DEPTH) removeStale(tmp, claim, claimant, depth + 1);
    // Otherwise another process is taking over right now (microseconds): give it a moment.
    else sleepSync(2);
    return;
  }
  try {
    if (readHolder(file)?.key === holder.key) unlinkSync(file);
  } finally {
    unlinkSync(claim);
  }
}

/**
 * Take the ingest lock of a local index folder. The lock file is written in full under a private name and
 * linked into place, so it holds the owner's pid from the instant it exists; a lock left by a killed process
 * (dead pid) is taken over through a claim only one process can win (see `removeStale`), so a SIGKILLed ingest
 * never blocks the next one and two racers never both hold the lock. Returns the release function.
 */
export function acquireIngestLock(indexDir: string): () => void {
  let created = false;
  try {
    created = mkdirSync(indexDir, { recursive: true }) !== undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new IndexNotFolderError(indexDir);
    throw err;
  }
  const file = path.join(indexDir, LOCK_FILE);
  const token = randomUUID();
  const tmp = `${file}.${process.pid}.${token}.tmp`;
  const writeTmp = () => writeFileSync(tmp, `${process.pid} ${token}\n`, { flag: 'wx' });
  try {
    writeTmp();
  } catch (err) {
    // A failed first ingest racing this one removed the empty folder it had created (see release): make it again.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    created = mkdirSync(indexDir, { recursive: true }) !== undefined;
    writeTmp();
  }
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (linkExclusive(tmp, file)) {
        heldTokens.add(token);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          process.off('exit', release);
          heldTokens.delete(token);
          if (readHolder(file)?.token === token) unlinkSync(file);
          // A first ingest that failed before writing anything (a missing folder, a model that won't load) must not
          // leave an empty index folder, which later commands would take for an index. rmdir removes only an
          // empty folder: after any write this fails, and that is the point.
          if (created) {
            try {
              rmdirSync(indexDir);
            } catch {
              // Not empty (or already gone): the folder holds an index now.
            }
          }
        };
        process.on('exit', release);
        return release;
      }
      const holder = readHolder(file);
      if (holder === null) continue;
      if (!isStale(holder)) throw new IndexLockedError(indexDir, holder.pid ?? -1);
      removeStale(tmp, file, holder, 0);
    }
    throw new IndexLockedError(indexDir, readHolder(file)?.pid ?? -1);
  } finally {
    unlinkSync(tmp);
  }
}
