import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { PriorsError } from '../core/errors.js';

export interface SourceFile {
  absPath: string;
  /** POSIX path relative to its root. */
  relPath: string;
  /** docId for file-based documents: relPath, prefixed with the root's name when several roots are ingested. */
  docId: string;
  size: number;
  mtimeMs: number;
}

const IGNORED_DIRS = new Set(['node_modules', '.git']);

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function walk(dir: string, out: string[], skipDirs: ReadonlySet<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // LanceDB tables (`*.lance`) and the index itself may sit inside the archive folder.
      if (IGNORED_DIRS.has(entry.name) || entry.name.endsWith('.lance') || skipDirs.has(full)) continue;
      walk(full, out, skipDirs);
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
}

/** Distinct, readable prefixes for several roots: their base names, numbered on collision. */
function rootPrefixes(roots: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return roots.map((root) => {
    const base = path.basename(root) || 'root';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

/** Globs from `<root>/.priorsignore` (one per line, `#` comments), matched against paths relative to the root. */
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
 * Hidden files and folders, node_modules, the index folder and `.priorsignore` matches are left out.
 */
export function discoverFiles(roots: readonly string[], extensions: ReadonlySet<string>, skipDirs: readonly string[] = []): SourceFile[] {
  const skip = new Set(skipDirs.map((d) => path.resolve(d)));
  const prefixes = rootPrefixes(roots);
  const files: SourceFile[] = [];
  roots.forEach((rootArg, i) => {
    const root = path.resolve(rootArg);
    let stat;
    try {
      stat = statSync(root);
    } catch {
      throw new PriorsError(`cannot read ${rootArg}: no such file or folder`);
    }
    const paths: string[] = [];
    if (stat.isDirectory()) walk(root, paths, skip);
    else paths.push(root);
    const base = stat.isDirectory() ? root : path.dirname(root);
    const ignored = stat.isDirectory() ? ignoreMatcher(root) : () => false;
    for (const abs of paths.sort()) {
      if (!extensions.has(path.extname(abs).toLowerCase())) continue;
      const relPath = toPosix(path.relative(base, abs));
      if (ignored(relPath)) continue;
      const s = statSync(abs);
      files.push({
        absPath: abs,
        relPath,
        docId: roots.length > 1 ? `${prefixes[i]}/${relPath}` : relPath,
        size: s.size,
        mtimeMs: s.mtimeMs,
      });
    }
  });
  return files;
}
