import { type Dirent, existsSync, readFileSync, readdirSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { errorMessage } from '../core/errors.js';
import type { RootSettings } from '../core/types.js';

export interface SourceFile {
  absPath: string;
  /** POSIX path relative to its root. */
  relPath: string;
  /** docId for file-based documents: `<root name>/<relPath>`, the same whichever roots are ingested with it. */
  docId: string;
  root: RootSettings;
  size: number;
  mtimeMs: number;
}

export const IGNORED_DIRS = new Set(['node_modules', '.git']);

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A file or folder discovery could not read; what was indexed from it stays as it was. */
export interface Unreadable {
  /** Name of the root it belongs to. */
  root: string;
  absPath: string;
  /** POSIX path relative to its root (`.` for the root itself). */
  relPath: string;
  reason: string;
}

export interface Discovery {
  files: SourceFile[];
  unreadable: Unreadable[];
  /** Roots whose folder (or file) is not there (an unmounted disk): their documents are left alone. */
  missing: RootSettings[];
  /**
   * Roots that hold no file of a supported format (a folder of PDFs, a single `.docx` named on the command line),
   * with how many other files they hold: an empty index with no word of why would leave the user guessing.
   */
  empty: { root: RootSettings; isFile: boolean; otherFiles: number }[];
}

function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? errorMessage(err);
}

/** A folder that vanished while being walked (ENOENT/ENOTDIR) is simply not there: its documents leave the index. */
function vanished(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

type Problem = Omit<Unreadable, 'relPath' | 'root'>;

function walk(dir: string, out: string[], skipDirs: ReadonlySet<string>, problems: Problem[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (!vanished(err)) problems.push({ absPath: dir, reason: errnoReason(err) });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // LanceDB tables (`*.lance`) and the index itself may sit inside the archive folder.
      if (IGNORED_DIRS.has(entry.name) || entry.name.endsWith('.lance') || skipDirs.has(full)) continue;
      walk(full, out, skipDirs, problems);
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
}

/**
 * Globs from `<root>/.priorsignore` (one per line, `#` comments), matched against paths relative to the root.
 * Throws when the file exists but can't be read.
 */
function ignoreMatcher(root: string): (relPath: string) => boolean {
  const file = path.join(root, '.priorsignore');
  if (!existsSync(file)) return () => false;
  const globs = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return globs.length ? picomatch(globs, { dot: true, matchBase: true }) : () => false;
}

/**
 * Every file with a supported extension under the roots (a root may also be a single file), in a stable order.
 * Hidden files and folders, node_modules, the index folder and `.priorsignore` matches are left out. Folders
 * (and files) that can't be read are reported in `unreadable` rather than stopping the walk; a root whose
 * `.priorsignore` can't be read is reported whole, since indexing it would ignore the author's exclusions.
 */
export function discoverFiles(
  roots: readonly RootSettings[],
  extensions: ReadonlySet<string>,
  skipDirs: readonly string[] = [],
): Discovery {
  const skip = new Set(skipDirs.map((d) => path.resolve(d)));
  const files: SourceFile[] = [];
  const unreadable: Unreadable[] = [];
  const missing: RootSettings[] = [];
  const empty: Discovery['empty'] = [];
  for (const rootSettings of roots) {
    const root = path.resolve(rootSettings.path);
    let stat: Stats;
    try {
      stat = statSync(root);
    } catch {
      missing.push(rootSettings);
      continue;
    }
    const base = stat.isDirectory() ? root : path.dirname(root);
    const problems: Problem[] = [];
    const report = () => {
      for (const p of problems) unreadable.push({ ...p, root: rootSettings.name, relPath: toPosix(path.relative(base, p.absPath)) || '.' });
    };
    let ignored: (relPath: string) => boolean = () => false;
    if (stat.isDirectory()) {
      try {
        ignored = ignoreMatcher(root);
      } catch (err) {
        problems.push({ absPath: root, reason: `its .priorsignore can't be read (${errnoReason(err)})` });
        report();
        continue;
      }
    }
    const paths: string[] = [];
    if (stat.isDirectory()) walk(root, paths, skip, problems);
    else paths.push(root);
    const found = files.length;
    let otherFiles = 0;
    for (const abs of paths.sort()) {
      if (!extensions.has(path.extname(abs).toLowerCase())) {
        otherFiles++;
        continue;
      }
      const relPath = toPosix(path.relative(base, abs));
      if (ignored(relPath)) continue;
      let s: Stats;
      try {
        s = statSync(abs);
      } catch (err) {
        // Deleted since the folder was listed: it is simply not there.
        if (!vanished(err)) problems.push({ absPath: abs, reason: errnoReason(err) });
        continue;
      }
      files.push({ absPath: abs, relPath, docId: `${rootSettings.name}/${relPath}`, root: rootSettings, size: s.size, mtimeMs: s.mtimeMs });
    }
    if (files.length === found && problems.length === 0) empty.push({ root: rootSettings, isFile: !stat.isDirectory(), otherFiles });
    report();
  }
  return { files, unreadable, missing, empty };
}
