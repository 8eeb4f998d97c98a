import * as z from 'zod';
import { decodeTags } from '../index/rows.js';
import type { DocumentRow } from '../index/schema.js';
import { assertKnownFilters } from '../search/filters.js';
import { type ToolContext, defineTool } from './tool.js';
import { type FilterInput, filterFields } from './filters-schema.js';
import type { DocumentHeader } from '../core/types.js';
import { count } from './count.js';

export const listDocumentsInput = z
  .object({
    // The same filter fields as search: one date rule, and one wording of the types for every front end
    // (the CLI help printed JSON arrays here, which no command line takes).
    since: filterFields.since,
    until: filterFields.until,
    type: filterFields.type,
    root: filterFields.root,
    tag: filterFields.tag,
    sort: z.enum(['date-desc', 'date-asc', 'title']).default('date-desc').describe('newest first (default), oldest first, or by title'),
    limit: z.number().int().min(1).max(500).default(50).describe('at most this many documents'),
    offset: z.number().int().min(0).default(0).describe('skip this many (for paging; total is returned)'),
  })
  .strict();

export interface DocumentSummary extends DocumentHeader {
  root: string;
  type: string;
  sourceType: string | null;
  chapter: string | null;
  tags: string[];
  path: string;
  words: number;
  chunks: number;
}

export interface ListDocumentsOutput {
  total: number;
  offset: number;
  documents: DocumentSummary[];
}

const untilBound = (d: string) => `${d}~`;

function summarize(d: DocumentRow): DocumentSummary {
  return {
    docId: d.doc_id,
    root: d.root,
    title: d.title,
    date: d.date,
    url: d.url,
    type: d.type,
    sourceType: d.source_type,
    chapter: d.chapter,
    tags: decodeTags(d.tags),
    path: d.rel_path,
    words: d.words,
    chunks: d.chunk_count,
  };
}

/** The metadata filters of `list` (dates, types, roots, tags) as a test on document rows; other tools reuse it. */
export function documentFilter(input: Pick<FilterInput, 'since' | 'until' | 'type' | 'root' | 'tag'>): (d: DocumentRow) => boolean {
  const tags = input.tag?.map((t) => t.toLowerCase());
  return (d) =>
    (!input.since || (d.date !== null && d.date >= input.since)) &&
    (!input.until || (d.date !== null && d.date <= untilBound(input.until))) &&
    (!input.type || input.type.includes(d.type) || (d.source_type !== null && input.type.includes(d.source_type))) &&
    (!input.root || input.root.includes(d.root)) &&
    (!tags || decodeTags(d.tags).some((t) => tags.includes(t)));
}

/** Every document of the index, in no particular order (MCP lists them as resources). */
export async function allDocuments(ctx: ToolContext): Promise<DocumentSummary[]> {
  return (await (await ctx.store()).listDocuments()).map(summarize);
}

export const listDocumentsTool = defineTool({
  name: 'list_documents',
  title: 'Browse documents',
  description:
    'Lists the documents in the archive (title, date, type, tags, URL, size), filtered by date range, type or tag, newest first by default. Use to browse or to count what the author wrote in a period.',
  input: listDocumentsInput,
  async run(ctx, input): Promise<ListDocumentsOutput> {
    const store = await ctx.store();
    await assertKnownFilters(store, { roots: input.root, types: input.type });
    const docs = (await store.listDocuments()).filter(documentFilter(input));
    const byDate = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
    docs.sort((a, b) =>
      input.sort === 'title'
        ? (a.title ?? a.doc_id).localeCompare(b.title ?? b.doc_id)
        : input.sort === 'date-asc'
          ? byDate(a.date, b.date) || a.doc_id.localeCompare(b.doc_id)
          : byDate(b.date, a.date) || a.doc_id.localeCompare(b.doc_id),
    );
    return {
      total: docs.length,
      offset: input.offset,
      documents: docs.slice(input.offset, input.offset + input.limit).map(summarize),
    };
  },
  toText(out) {
    if (out.documents.length === 0) return 'No documents match.';
    const rows = out.documents.map((d) => `${d.date ?? '          '}  ${d.type.padEnd(10)} ${d.title ?? d.docId}  (${d.docId})`);
    const more =
      out.total > out.offset + out.documents.length ? `\n… ${out.total - out.offset - out.documents.length} more (use offset)` : '';
    return `${count(out.total, 'document')}\n${rows.join('\n')}${more}`;
  },
});
