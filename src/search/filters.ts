import picomatch from 'picomatch';
import { UsageError } from '../core/errors.js';
import { sqlIn, sqlString } from '../index/schema.js';
import type { IndexStore } from '../index/store.js';
import { DOC_TYPES } from '../ingest/metadata.js';
import type { SearchFilters } from './types.js';

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** `2024` → `2024-01-01` for since; `2024` → `2024-12-31~` for until (sorts after any date that year). */
function dateBound(value: string, flag: string, end: boolean): string {
  if (!DATE.test(value)) throw new UsageError(`${flag} must be a date like 2024, 2024-06 or 2024-06-30, not "${value}"`);
  if (!end) return value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value;
  return `${value}~`;
}

/** A LanceDB SQL predicate for the filters, or undefined when nothing is filtered. */
export function filterToSql(f: SearchFilters | undefined): string | undefined {
  if (!f) return undefined;
  const parts: string[] = [];
  if (f.since) parts.push(`date >= ${sqlString(dateBound(f.since, '--since', false))}`);
  if (f.until) parts.push(`date <= ${sqlString(dateBound(f.until, '--until', true))}`);
  if (f.types?.length) parts.push(`(${sqlIn('type', f.types)} OR ${sqlIn('source_type', f.types)})`);
  if (f.roots?.length) parts.push(sqlIn('root', f.roots));
  if (f.tags?.length) {
    parts.push(`(${f.tags.map((t) => `tags LIKE ${sqlString(`%|${t.toLowerCase()}|%`)}`).join(' OR ')})`);
  }
  if (f.speaker) parts.push(`lower(speaker) LIKE ${sqlString(`%${f.speaker.toLowerCase()}%`)}`);
  if (f.docIds?.length) parts.push(sqlIn('doc_id', f.docIds));
  if (f.excludeDocIds?.length) parts.push(`NOT (${sqlIn('doc_id', f.excludeDocIds)})`);
  return parts.length ? parts.join(' AND ') : undefined;
}

/**
 * The path glob is applied in JS after retrieval (LanceDB's SQL regexes lack the lookarounds picomatch emits),
 * so callers widen their candidate pool when it is set.
 */
export function pathMatcher(f: SearchFilters | undefined): ((relPath: string, docId: string) => boolean) | null {
  if (!f?.path) return null;
  try {
    const match = picomatch(f.path, { dot: true });
    return (relPath, docId) => match(relPath) || match(docId);
  } catch {
    throw new UsageError(`--path "${f.path}" is not a valid glob`);
  }
}

/**
 * A root or type the index does not know is a usage error naming the valid values: a misspelt filter (`--root nope`,
 * `--type podcats`) would otherwise match nothing and read as "you never wrote about this". Valid types are the
 * schema's plus the front-matter types the index's documents carry (read only when a value is not a schema type);
 * an index from before roots were remembered has no list to check roots against.
 */
export async function assertKnownFilters(store: IndexStore, f: Pick<SearchFilters, 'roots' | 'types'> | undefined): Promise<void> {
  const known = (store.settings.roots ?? []).map((r) => r.name);
  const root = f?.roots?.find((r) => !known.includes(r));
  if (root !== undefined && known.length > 0) {
    throw new UsageError(`no root "${root}" in this index; its roots: ${known.join(', ')}`);
  }
  const schema: readonly string[] = DOC_TYPES;
  if (!f?.types?.some((t) => !schema.includes(t))) return;
  const frontMatter = new Set(
    (await store.listDocuments()).flatMap((d) => (d.source_type && !schema.includes(d.source_type) ? [d.source_type] : [])),
  );
  const type = f.types.find((t) => !schema.includes(t) && !frontMatter.has(t));
  if (type !== undefined) {
    throw new UsageError(`no document type "${type}" in this index; types: ${[...schema, ...[...frontMatter].sort()].join(', ')}`);
  }
}
