import type { Stats } from 'node:fs';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { errorMessage } from '../core/errors.js';
import { IGNORED_DIRS } from './discover.js';

export interface WatchLoopOptions {
  /** Folders (or single files) to watch: the roots. */
  paths: readonly string[];
  /** Folders never watched (the index, when it sits inside a root). */
  skipDirs: readonly string[];
  /** Extensions ingest reads (`.md`, …): other files never start a run. */
  extensions: ReadonlySet<string>;
  /** Quiet time after the last change before a run starts (an editor's save is often several writes). */
  debounceMs: number;
  /** A run starts at the latest this long after the first change of a batch, even if changes keep coming. */
  maxWaitMs: number;
  /** One run for a batch of changed paths; runs never overlap. */
  run(changed: string[]): Promise<void>;
  /** A run that failed: true puts its paths back to be run again after `retryMs` (e.g. the index was locked). */
  onRunError(err: unknown, changed: string[]): boolean;
  retryMs: number;
  /** A problem of the watcher itself (a folder that can't be watched): one line, watching goes on. */
  onWatchError(message: string): void;
}

export interface WatchLoop {
  /** Resolves once the initial scan of the folders is done: changes from then on are seen. */
  ready: Promise<void>;
  /** Stop watching; waits for a run in progress to finish. */
  close(): Promise<void>;
}

/**
 * Whether a path can be left alone: what discovery would never read (hidden names other than
 * `.priorsignore`, node_modules, LanceDB tables, the index) and files of extensions ingest does not read.
 * Folders and deleted paths (no stats) always count, since their files come and go with them.
 */
function ignorable(p: string, stats: Stats | undefined, skip: ReadonlySet<string>, extensions: ReadonlySet<string>): boolean {
  const name = path.basename(p);
  if (skip.has(p)) return true;
  if (name.startsWith('.') && name !== '.priorsignore') return true;
  if (stats?.isDirectory()) return IGNORED_DIRS.has(name) || name.endsWith('.lance');
  return stats?.isFile() === true && name !== '.priorsignore' && !extensions.has(path.extname(name).toLowerCase());
}

/**
 * Watch folders and run a job for each batch of changes: debounced (`debounceMs` of quiet, at most `maxWaitMs`),
 * one run at a time, and changes seen during a run start the next. chokidar watches each folder (inotify on
 * Linux, FSEvents on macOS) and is told to skip the index and hidden folders rather than filtering their
 * events, so the index's own writes never reach the watcher.
 */
export async function startWatchLoop(opts: WatchLoopOptions): Promise<WatchLoop> {
  // Loaded on first use: only a watch needs it, and a plain ingest should not pay for it at start-up.
  const { watch } = await import('chokidar');
  const skip = new Set(opts.skipDirs.map((d) => path.resolve(d)));
  const pending = new Set<string>();
  let firstChange = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const schedule = (delay: number) => {
    if (closed || running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, delay);
  };

  const fire = () => {
    timer = null;
    if (closed || running || pending.size === 0) return;
    const changed = [...pending].sort();
    pending.clear();
    running = (async () => {
      let retry = false;
      try {
        await opts.run(changed);
      } catch (err) {
        if (opts.onRunError(err, changed)) {
          for (const p of changed) pending.add(p);
          retry = true;
        }
      } finally {
        running = null;
      }
      if (pending.size > 0) {
        firstChange = Date.now();
        schedule(retry ? opts.retryMs : opts.debounceMs);
      }
    })();
  };

  const changed = (p: string) => {
    if (closed) return;
    if (pending.size === 0) firstChange = Date.now();
    pending.add(p);
    // Keep waiting for quiet, but never past maxWait from the batch's first change.
    schedule(Math.max(0, Math.min(opts.debounceMs, firstChange + opts.maxWaitMs - Date.now())));
  };

  const watcher: FSWatcher = watch([...opts.paths], {
    ignoreInitial: true,
    // Discovery does not follow symbolic links either.
    followSymlinks: false,
    ignored: (p, stats) => ignorable(path.resolve(p), stats, skip, opts.extensions),
  });
  watcher.on('all', (_event, p) => changed(path.resolve(p)));
  watcher.on('error', (err) => opts.onWatchError(errorMessage(err)));
  const ready = new Promise<void>((resolve) => watcher.once('ready', resolve));

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
