import { TomlDate } from 'smol-toml';
import type { DocMeta, Person, RootSettings } from '../core/types.js';

/** Normalised document types; what the front matter said stays beside it as `sourceType`. */
export type DocType = 'post' | 'interview' | 'chapter' | 'transcript' | 'record' | 'text';
export const DOC_TYPES: readonly DocType[] = ['post', 'interview', 'chapter', 'transcript', 'record', 'text'];

/** How the content was read: decides the type when nothing more specific is known. */
export type ContentKind = 'markdown' | 'text' | 'captions' | 'record';

export interface MetaInput {
  docId: string;
  relPath: string;
  /** Raw front-matter / record fields. */
  fields: Record<string, unknown>;
  /** Text of the document's first heading, used when no title field exists. */
  firstHeading: string | null;
  /** Speakers of a detected conversation (turns by 2+ speakers), in order of first turn; empty if none. */
  speakers?: readonly string[];
  kind: ContentKind;
  /** Title when no field or heading gives one; defaults to the file name. */
  fallbackTitle?: string | null;
  /** The root's settings (name, URL template, book, author); absent in unit tests of the parsers. */
  root?: RootSettings | undefined;
}

const TITLE_KEYS = ['title', 'page-title', 'page_title', 'name'];
const SUBTITLE_KEYS = ['subtitle', 'description', 'meta-description', 'summary'];
const DATE_KEYS = ['date', 'published', 'published_at', 'pubDate', 'publishDate', 'created', 'created_at'];
/** Only absolute URLs count: a relative `permalink: /p/1` or a `slug` is not a link a reader can open. */
const URL_KEYS = ['url', 'canonical_url', 'canonical', 'permalink', 'link'];
const TAG_KEYS = ['tags', 'keywords', 'categories'];
const AUTHOR_KEYS = ['authors', 'author'];
/** Book front matter that names the chapter: `search-title: "Chapter 1: Introduction"`. */
const CHAPTER_TITLE_KEYS = ['search-title', 'chapter-title', 'title', 'page-title'];
const CHAPTER_RE = /^\s*(chapter|appendix)\s+([0-9]+|[A-Z])\s*[:.\-–—]\s*(.+)$/i;

/** Normalise raw fields into `DocMeta`; every raw field is kept (JSON-safe) in `extra`. */
export function buildMeta(input: MetaInput): DocMeta {
  const f = input.fields;
  const root = input.root;
  const speakers = input.speakers ?? [];
  const sourceType = firstString(f, ['type']);
  const title =
    firstString(f, TITLE_KEYS) ??
    input.firstHeading ??
    (input.fallbackTitle === undefined ? fileTitle(input.relPath) : input.fallbackTitle);
  const date = firstDate(f);
  const authors = collectStrings(f, AUTHOR_KEYS, splitAuthors);
  if (root?.author && !authors.includes(root.author)) authors.unshift(root.author);
  const chapter = input.kind === 'markdown' || input.kind === 'text' ? chapterOf(f, input.relPath, root) : null;
  const type = chapter ? 'chapter' : normaliseType(sourceType, speakers.length >= 2, input.kind);
  return {
    docId: input.docId,
    root: root?.name ?? '',
    relPath: input.relPath,
    title: chapter?.title ?? title,
    subtitle: firstString(f, SUBTITLE_KEYS),
    date,
    url: absoluteUrl(f) ?? (root?.urlTemplate ? expandUrlTemplate(root.urlTemplate, { fields: f, relPath: input.relPath, date }) : null),
    type,
    sourceType,
    container: chapter ? (root?.book ?? null) : (root?.publication ?? null),
    chapter: chapter?.label ?? null,
    people: type === 'interview' ? speakerRoles(speakers, authors, title) : [],
    tags: collectStrings(f, TAG_KEYS, splitTags),
    authors,
    extra: jsonSafeRecord(f),
  };
}

/**
 * The normalised type. A conversation in the body (turns by 2+ speakers) is an `interview`, whatever the
 * front matter says; captions are `transcript`; a front matter `type: interview|transcript` is taken as
 * written, and recordings without a conversation (`podcast`, `video`, a talk) are `transcript`. JSONL
 * records may name one of the normalised types themselves.
 */
export function normaliseType(raw: unknown, conversation: boolean, kind: ContentKind): DocType {
  if (kind === 'captions') return 'transcript';
  if (conversation) return 'interview';
  const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (t === 'interview') return 'interview';
  if (t === 'transcript' || RECORDINGS.has(t)) return 'transcript';
  if (kind === 'record') return (DOC_TYPES as readonly string[]).includes(t) ? (t as DocType) : 'record';
  if (t === 'chapter') return 'chapter';
  return kind === 'text' ? 'text' : 'post';
}

const RECORDINGS = new Set(['podcast', 'episode', 'audio', 'video', 'talk', 'recording', 'lecture']);

interface ChapterInfo {
  /** `1`, `12`, `A`; null when the book gives no number (a references page). */
  label: string | null;
  title: string | null;
}

/**
 * A file is a chapter when its root is a book, or when its front matter says so (`search-title: "Chapter 1:
 * Introduction"`, `Appendix A: …`) — detectable without flags, so a folder of book chapters ingested bare
 * still comes out as chapters. The number comes from that title, else the file name's leading number
 * (`01-introduction.md`) or appendix letter (`appendix-a-…`).
 */
function chapterOf(f: Record<string, unknown>, relPath: string, root: RootSettings | undefined): ChapterInfo | null {
  for (const k of CHAPTER_TITLE_KEYS) {
    const v = f[k];
    const m = typeof v === 'string' ? CHAPTER_RE.exec(v) : null;
    if (m) return { label: (m[2] ?? '').replace(/^0+(?=\d)/, '').toUpperCase(), title: collapse(m[3] ?? '') };
  }
  if (!root?.book && (typeof f['type'] !== 'string' || f['type'].trim().toLowerCase() !== 'chapter')) return null;
  const stem = fileTitle(relPath).toLowerCase();
  const num = /^(\d+)(?:[-_. ]|$)/.exec(stem);
  const appendix = /^appendix[-_ ]([a-z])(?:[-_. ]|$)/.exec(stem);
  const label = num ? String(Number(num[1])) : appendix ? (appendix[1] ?? '').toUpperCase() : null;
  return { label, title: null };
}

/** Front matter `url`/`canonical_url` (absolute http(s) only). */
function absoluteUrl(f: Record<string, unknown>): string | null {
  for (const k of URL_KEYS) {
    const v = f[k];
    if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim())) return v.trim();
  }
  return null;
}

/**
 * The slug a post is published under: front matter `slug`, else Substack's `post_id` minus its numeric
 * prefix (`165344478.how-i-write` → `how-i-write`), else the file name without extension.
 */
export function slugOf(f: Record<string, unknown>, relPath: string): string {
  const slug = f['slug'];
  if (typeof slug === 'string' && slug.trim()) return slug.trim().replace(/^\/+|\/+$/g, '');
  const postId = f['post_id'];
  if (typeof postId === 'string') {
    const m = /^\d+\.(.+)$/.exec(postId.trim());
    if (m?.[1]) return m[1];
  }
  return fileTitle(relPath);
}

/** Fill `{slug}`, `{stem}`, `{path}` (relative path without extension), `{date}`, `{year}`, `{month}`, `{day}`. */
export function expandUrlTemplate(
  template: string,
  doc: { fields: Record<string, unknown>; relPath: string; date: string | null },
): string {
  const day = doc.date?.slice(0, 10) ?? '';
  const dot = doc.relPath.lastIndexOf('.');
  const vars: Record<string, string> = {
    slug: slugOf(doc.fields, doc.relPath),
    stem: fileTitle(doc.relPath),
    path: dot > doc.relPath.lastIndexOf('/') ? doc.relPath.slice(0, dot) : doc.relPath,
    date: day,
    year: day.slice(0, 4),
    month: day.slice(5, 7),
    day: day.slice(8, 10),
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) return whole;
    // `{path}` keeps its slashes; every other value is one path segment.
    return name === 'path' ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v);
  });
}

/** Placeholders a URL template may use (for validating `--url-template`). */
export const URL_TEMPLATE_FIELDS = ['slug', 'stem', 'path', 'date', 'year', 'month', 'day'];

/**
 * Host and guests of an interview: a speaker who is one of the authors (or a short form of one) is the
 * host; a speaker named in the title ("Interviewing Ross Taylor on …") is a guest. When one side is known
 * the others take the other role; when neither is, roles stay null.
 */
export function speakerRoles(speakers: readonly string[], authors: readonly string[], title: string | null): Person[] {
  const isAuthor = (s: string) => authors.some((a) => sameName(a, s));
  const lowerTitle = (title ?? '').toLowerCase();
  const named = (s: string) => s.includes(' ') && lowerTitle.includes(s.toLowerCase());
  const hosts = speakers.filter(isAuthor);
  const guests = speakers.filter((s) => !isAuthor(s) && named(s));
  if (hosts.length === 0 && guests.length === 0) return speakers.map((name) => ({ name, role: null }));
  return speakers.map((name) => ({
    name,
    role: hosts.includes(name) ? 'host' : guests.includes(name) ? 'guest' : hosts.length > 0 ? 'guest' : 'host',
  }));
}

/** `Nathan Lambert` ≈ `nathan lambert`; also `Nathan L.` / `Nathan` as short forms of the full name. */
function sameName(a: string, b: string): boolean {
  const x = a.toLowerCase().trim();
  const y = b.toLowerCase().trim();
  return x === y || isShortForm(y, x) || isShortForm(x, y);
}

/**
 * `short` abbreviates `full`: same first name, and then nothing or an initial of the last name
 * (`Riley G.` / `Riley` for `Riley Goodside`).
 */
export function isShortForm(short: string, full: string): boolean {
  const s = short.toLowerCase().replace(/\s+/g, ' ').trim().split(' ');
  const f = full.toLowerCase().replace(/\s+/g, ' ').trim().split(' ');
  if (f.length < 2 || s.length > 2 || s[0] !== f[0] || s.join(' ') === f.join(' ')) return false;
  if (s.length === 1) return true;
  const initial = (s[1] ?? '').replace(/\.$/, '');
  return initial.length === 1 && (f[f.length - 1] ?? '').startsWith(initial);
}

/** ISO `YYYY-MM-DD` for dates, a full ISO timestamp when the value has a time, else null. */
export function normaliseDate(value: unknown): string | null {
  if (value instanceof TomlDate) return value.isValid() ? value.toISOString() : null;
  if (value instanceof Date) return dateToIso(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Number.isNaN(Date.parse(s)) ? null : s;
  if (/^\d{4}\/\d{2}\/\d{2}$/.test(s)) return normaliseDate(s.replaceAll('/', '-'));
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
    const iso = s.replace(' ', 'T');
    return Number.isNaN(Date.parse(iso)) ? null : iso;
  }
  // Free-form dates ("June 12, 2020") parse as local midnight: read local components back.
  const ms = Date.parse(s);
  if (Number.isNaN(ms) || !/\d{4}/.test(s)) return null;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function dateToIso(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  // YAML `date: 2020-06-12` becomes UTC midnight: give the date back as written.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function firstDate(f: Record<string, unknown>): string | null {
  for (const k of DATE_KEYS) {
    const d = normaliseDate(f[k]);
    if (d) return d;
  }
  return null;
}

function firstString(f: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = f[k];
    if (typeof v === 'string' && v.trim() !== '') return collapse(v);
    if (typeof v === 'number') return String(v);
  }
  return null;
}

function collectStrings(f: Record<string, unknown>, keys: readonly string[], split: (s: string) => string[]): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    const v = f[k];
    const items: unknown[] = Array.isArray(v) ? v : [v];
    for (const item of items) {
      const s = itemString(item);
      if (s === null) continue;
      for (const part of split(s)) if (part) out.add(part);
    }
  }
  return [...out];
}

/** Strings, numbers, or `{ name }` objects (common for authors). */
function itemString(item: unknown): string | null {
  if (typeof item === 'string') return item;
  if (typeof item === 'number') return String(item);
  if (typeof item === 'object' && item !== null && 'name' in item && typeof item.name === 'string') return item.name;
  return null;
}

function splitTags(s: string): string[] {
  return s.split(',').map(collapse);
}

function splitAuthors(s: string): string[] {
  // Commas are ambiguous ("Lambert, Nathan"); only split on unambiguous separators.
  return s.split(/\s*(?:;|&|\band\b)\s*/).map(collapse);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Title from the file name: `posts/2024-01-02-my-post.md` → `2024-01-02-my-post`. */
export function fileTitle(relPath: string): string {
  const base = relPath.split('/').pop() ?? relPath;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Front matter and records are untrusted: YAML aliases make a 400-byte block a tree of billions of values
 * (js-yaml shares alias nodes, so parsing is cheap and only walking it explodes), or a cycle. Walks stop at
 * these bounds; `cut` then says which one was hit so the caller can warn with the file's name.
 */
export const FIELD_LIMITS = { values: 10_000, depth: 32 } as const;

export interface FieldBudget {
  values: number;
  cut: 'values' | 'depth' | null;
}

export function fieldBudget(): FieldBudget {
  return { values: FIELD_LIMITS.values, cut: null };
}

/** What a cut budget means, for a warning that follows the file name. */
export function describeCut(budget: FieldBudget): string {
  return budget.cut === 'depth'
    ? `fields nest deeper than ${FIELD_LIMITS.depth} levels (a self-referencing YAML alias?); the deeper values were left out`
    : `fields expand to more than ${FIELD_LIMITS.values} values (a YAML alias bomb?); the rest were left out`;
}

export function jsonSafeRecord(f: object, budget: FieldBudget = fieldBudget(), depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    const safe = jsonSafe(v, budget, depth);
    if (safe !== undefined) out[k] = safe;
    if (budget.cut === 'values') break;
  }
  return out;
}

/**
 * Dates → ISO strings, bigints → numbers/strings, non-finite numbers → null, functions dropped. Past the
 * budget's bounds values become null (or are left out) and `budget.cut` is set.
 */
export function jsonSafe(v: unknown, budget: FieldBudget = fieldBudget(), depth = 0): unknown {
  if (budget.values <= 0) {
    budget.cut = 'values';
    return undefined;
  }
  budget.values--;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof TomlDate) return v.isValid() ? v.toISOString() : null;
  if (v instanceof Date) return dateToIso(v);
  if (typeof v !== 'object') return undefined;
  if (depth >= FIELD_LIMITS.depth) {
    budget.cut ??= 'depth';
    return null;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const safe = jsonSafe(x, budget, depth + 1);
      if (budget.cut === 'values') break;
      out.push(safe ?? null);
    }
    return out;
  }
  return jsonSafeRecord(v, budget, depth + 1);
}
