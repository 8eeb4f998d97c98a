import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PriorsError } from '../../core/errors.js';

export type FrontMatterValue = string | number | boolean | readonly string[] | null | undefined;

/** One post or page of an export, converted. */
export interface ImportedPost {
  /** The exporter's id: ties between equal slugs are broken by it, so every import names files the same. */
  id: string;
  slug: string;
  /** Subfolder for this kind of document (`pages`), or none: posts sit at the top of the output folder. */
  folder?: string;
  /** In the order written; null and undefined values are left out. */
  frontMatter: Record<string, FrontMatterValue>;
  /** Markdown. */
  body: string;
}

export interface WriteReport {
  /** Files created or changed. */
  written: number;
  /** Files that already held exactly this (a re-import). */
  unchanged: number;
  /** Files an earlier import of this format wrote for posts no longer in the export. */
  removed: number;
  /** Every file of this import, relative to the output folder. */
  files: string[];
}

/** Lower-case letters, digits, `-`, `_` and `.` only, no leading dot, at most 100 characters: a file name on every system. */
export function safeSlug(raw: string, fallback: string): string {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 100);
  return slug || fallback.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 100) || 'post';
}

function yamlValue(v: Exclude<FrontMatterValue, null | undefined>): string {
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  // JSON strings are YAML double-quoted scalars: any title (quotes, colons, a leading dash) stays one value.
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : JSON.stringify(v);
  return `[${v.map((s) => JSON.stringify(s)).join(', ')}]`;
}

export function renderMarkdown(post: Pick<ImportedPost, 'frontMatter' | 'body'>): string {
  const lines = Object.entries(post.frontMatter)
    .filter((e): e is [string, Exclude<FrontMatterValue, null | undefined>] => e[1] !== null && e[1] !== undefined && e[1] !== '')
    .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${yamlValue(v)}`);
  return `---\n${lines.join('\n')}\n---\n\n${post.body.trim()}\n`;
}

/** `out/rel`, or an error if `rel` would land outside `out` (it never should: names are slugs). */
function inside(out: string, rel: string): string {
  const target = path.resolve(out, rel);
  const back = path.relative(out, target);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) {
    throw new PriorsError(`refusing to write ${rel}: it is outside ${out}`, 'internal');
  }
  return target;
}

/**
 * Write the posts as markdown files under `out`: `<slug>.md` (pages under `pages/`), one name per post whatever
 * the order of the export, so a re-import overwrites the same files. A file already holding exactly this text is
 * left alone (its mtime too). Files that an earlier import of this format wrote for posts that are gone
 * (deleted, or renamed to another slug) are removed: the import keeps a list of its files in
 * `out/.priors-import-<format>.json` (hidden, so never ingested), and removes only files from that list.
 */
export function writeImport(out: string, format: string, posts: readonly ImportedPost[]): WriteReport {
  const root = path.resolve(out);
  mkdirSync(root, { recursive: true });
  const taken = new Set<string>();
  const report: WriteReport = { written: 0, unchanged: 0, removed: 0, files: [] };
  for (const post of [...posts].sort((a, b) => a.id.localeCompare(b.id))) {
    const folder = post.folder ? `${safeSlug(post.folder, 'other')}/` : '';
    let rel = `${folder}${safeSlug(post.slug, post.id)}.md`;
    if (taken.has(rel)) rel = `${folder}${safeSlug(`${post.slug}-${post.id}`, post.id)}.md`;
    taken.add(rel);
    const file = inside(root, rel);
    const text = renderMarkdown(post);
    report.files.push(rel);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) {
      report.unchanged++;
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed: a watching ingest never reads half a file.
    const tmp = `${file}.priors-import.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    report.written++;
  }
  const manifest = path.join(root, `.priors-import-${format}.json`);
  const before = readManifest(manifest);
  for (const rel of before) {
    if (taken.has(rel) || !rel.endsWith('.md')) continue;
    try {
      rmSync(inside(root, rel));
      report.removed++;
    } catch {
      // Already gone, or a name this code would never have written: leave it.
    }
  }
  writeFileSync(manifest, `${JSON.stringify({ format, files: report.files }, null, 2)}\n`);
  report.files.sort();
  return report;
}

function readManifest(file: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { files?: unknown };
    return Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}
