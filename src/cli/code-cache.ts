import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CodeCache {
  /** A folder of this user's (created on first use). */
  dir: string;
  /** The bundle's name. */
  name: string;
  /** Names this build of the bundle: caches of its other builds are removed when a new one is written. */
  build: string;
  /** Which run's compiled code to keep: one file per command, since each compiles different functions. */
  variant: string;
}

const PROGRAM_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/**
 * A CommonJS bundle as a program file that `loadWithCodeCache` loads: the bundle as the body of the function Node's
 * CommonJS loader wraps a module in, so that it sees the usual module scope. Written so by the build
 * (scripts/build.mjs, which spells the same wrapper), so that V8 compiles the file's text as read: wrapping it at run
 * time made a concatenated copy of the bundle that V8 flattened before compiling it, ~0.9 ms of a 0.9 MB program.
 */
export function asProgram(bundle: string): string {
  return `${PROGRAM_HEAD}${bundle}\n})`;
}

/**
 * Load a program file (`asProgram`) through V8's code cache, kept in a file between processes.
 *
 * Why: Node 20 keeps no compiled code between runs (`module.enableCompileCache()` arrived in Node 22.1), so
 * every `priors` process parsed and compiled the megabytes of JavaScript behind a command (zod, Arrow,
 * LanceDB's JS, commander, the tools) before doing anything — about as much CPU as a search itself. V8 can
 * serialize the code it compiled and take it back instead of compiling, through `vm.Script`'s `cachedData`; the
 * first run of each command writes the cache (after the command ran, so it holds the functions the command
 * used), later runs start from it. V8 rejects a cache made by another V8 version, flag set or source, and
 * the file name carries the bundle's content hash, so a stale cache costs one recompile, never wrong code.
 * Every cache failure (read-only home, full disk, a rejected file) only means compiling as without it.
 *
 * Returns the bundle's exports and `save`, to call once the command has run.
 */
export function loadWithCodeCache(file: string, cache: CodeCache | null): { exports: unknown; save(): void } {
  const source = readFileSync(file, 'utf8');
  if (!source.startsWith(PROGRAM_HEAD)) throw new Error(`${file} is not a program as asProgram writes it (rebuild: npm run build)`);
  const cacheFile =
    cache && path.join(cache.dir, `${cache.name}-${cache.build}-${cache.variant}-${process.arch}-v8-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // Not written yet: this run writes it.
    }
  }
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    save() {
      if (!cache || !cacheFile || (cachedData && !script.cachedDataRejected)) return;
      try {
        mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
        // Other builds' caches go once a day has passed without them being rewritten: an upgrade leaves
        // nothing behind, while two installs in use side by side (a clone and a global install) keep theirs.
        for (const name of readdirSync(cache.dir)) {
          const old = path.join(cache.dir, name);
          const otherBuild = name.startsWith(`${cache.name}-`) && !name.startsWith(`${cache.name}-${cache.build}-`);
          if (otherBuild && Date.now() - statSync(old).mtimeMs > DAY_MS) rmSync(old, { force: true });
        }
        // Written whole, then renamed: a concurrent run reads the old file or the new one, never half of one.
        const partial = `${cacheFile}.${process.pid}.partial`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // No cache this time; the next run compiles again.
      }
    },
  };
}
