import { TomlDate } from 'smol-toml';
import type { DocMeta } from '../core/types.js';

export type DocType = 'post' | 'transcript' | 'record' | 'text';

export interface MetaInput {
  docId: string;
  relPath: string;
  /** Raw front-matter / record fields. */
  fields: Record<string, unknown>;
  /** Text of the document's first heading, used when no title field exists. */
  firstHeading: string | null;
  /** Speaker turns were detected in the content. */
  hasTurns: boolean;
  /** Type when neither content nor fields say otherwise. */
  defaultType: DocType;
  /** Title when no field or heading gives one; defaults to the file name. */
  fallbackTitle?: string | null;
}

const TITLE_KEYS = ['title', 'page-title', 'page_title', 'name'];
const SUBTITLE_KEYS = ['subtitle', 'description', 'meta-description', 'summary'];
const DATE_KEYS = ['date', 'published', 'published_at', 'pubDate', 'publishDate', 'created', 'created_at'];
const URL_KEYS = ['url', 'canonical_url', 'canonical', 'permalink', 'link', 'slug'];
const TAG_KEYS = ['tags', 'keywords', 'categories'];
const AUTHOR_KEYS = ['authors', 'author'];

/** Normalise raw fields into `DocMeta`; every raw field is kept (JSON-safe) in `extra`. */
export function buildMeta(input: MetaInput): DocMeta {
  const f = input.fields;
  return {
    docId: input.docId,
    relPath: input.relPath,
    title:
      firstString(f, TITLE_KEYS) ??
      input.firstHeading ??
      (input.fallbackTitle === undefined ? fileTitle(input.relPath) : input.fallbackTitle),
    subtitle: firstString(f, SUBTITLE_KEYS),
    date: firstDate(f),
    url: firstString(f, URL_KEYS),
    type: normaliseType(f['type'], input.hasTurns, input.defaultType),
    tags: collectStrings(f, TAG_KEYS, splitTags),
    authors: collectStrings(f, AUTHOR_KEYS, splitAuthors),
    extra: jsonSafeRecord(f),
  };
}

/**
 * Content decides first (detected turns → transcript, whatever the folder or front matter says);
 * a front matter `type: transcript|interview` also means transcript; JSONL records may name
 * one of the normalised types themselves. The raw value stays in `extra`.
 */
export function normaliseType(raw: unknown, hasTurns: boolean, fallback: DocType): DocType {
  if (hasTurns) return 'transcript';
  const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (t === 'transcript' || t === 'interview') return 'transcript';
  if (fallback === 'record' && (t === 'post' || t === 'text' || t === 'record')) return t;
  return fallback;
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
