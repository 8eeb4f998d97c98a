import * as z from 'zod';
import { loadDocumentSource } from '../index/document-source.js';
import { decodeTags } from '../index/rows.js';
import type { DocumentHeader, Person, TurnMark } from '../core/types.js';
import { formatLocation } from '../text/citation-format.js';
import { resolveDocRef } from './doc-ref.js';
import { shortText } from './limits.js';
import { type ToolContext, defineTool } from './tool.js';
import { lineCount, lineRangeOffsets, offsetsToLines, sliceLines } from './source-lines.js';

/** An agent asking for "the document" gets at most this much text and a pointer to the rest. */
export const MAX_DOCUMENT_CHARS = 20_000;

export const getDocumentInput = z
  .object({
    docId: shortText('docId').describe(
      'document id as returned by search or list_documents (a unique ending of it also works; `id:12-18` selects lines)',
    ),
    lineStart: z.number().int().min(1).optional().describe('first line to return (1-based); default: the start'),
    lineEnd: z.number().int().min(1).optional().describe('last line to return (inclusive)'),
    maxChars: z
      .number()
      .int()
      .min(100)
      .max(MAX_DOCUMENT_CHARS)
      .default(8000)
      .describe(`at most this many characters of text (≤ ${MAX_DOCUMENT_CHARS}); use nextLine to continue`),
  })
  .strict();

export interface GetDocumentOutput extends DocumentHeader {
  root: string;
  subtitle: string | null;
  type: string;
  sourceType: string | null;
  /** Book title of a chapter (or the publication). */
  container: string | null;
  chapter: string | null;
  tags: string[];
  authors: string[];
  /** Interview speakers with host/guest roles. */
  people: Person[];
  /** Speaker turns that start within the returned lines (the reader labels them; empty for prose). */
  turns: { line: number; speaker: string; timestamp: string | null }[];
  path: string;
  totalLines: number;
  words: number;
  lineStart: number;
  lineEnd: number;
  text: string;
  truncated: boolean;
  /** Where to continue reading, or null at the end. */
  nextLine: number | null;
  stale: boolean;
  metadata: Record<string, unknown>;
}

export const getDocumentTool = defineTool({
  name: 'get_document',
  title: 'Read a document',
  description:
    "A document's metadata (title, date, URL, tags, front matter) and its exact text, or a line range of it. Output is bounded (maxChars); when truncated, call again from nextLine. Use to read around a search hit.",
  input: getDocumentInput,
  async run(ctx, input): Promise<GetDocumentOutput> {
    const store = await ctx.store();
    const { doc, lineStart, lineEnd } = await resolveDocRef(store, input);
    const src = loadDocumentSource(doc);
    const slice = sliceLines(src, doc.rel_path, lineStart ?? src.lineBase, lineEnd ?? Number.MAX_SAFE_INTEGER, input.maxChars);
    const from = lineRangeOffsets(src, slice.lineStart, slice.lineEnd).start;
    const turns = (JSON.parse(doc.turns || '[]') as TurnMark[])
      .filter((t) => t.start >= from && t.start < from + slice.text.length)
      .map((t) => ({ line: offsetsToLines(src, t.start, t.start + 1).lineStart, speaker: t.speaker, timestamp: t.timestamp }));
    return {
      docId: doc.doc_id,
      root: doc.root,
      title: doc.title,
      subtitle: doc.subtitle,
      date: doc.date,
      url: doc.url,
      type: doc.type,
      sourceType: doc.source_type,
      container: doc.container,
      chapter: doc.chapter,
      tags: decodeTags(doc.tags),
      authors: JSON.parse(doc.authors) as string[],
      people: JSON.parse(doc.people) as Person[],
      turns,
      path: doc.rel_path,
      totalLines: lineCount(src),
      words: doc.words,
      lineStart: slice.lineStart,
      lineEnd: slice.lineEnd,
      text: slice.text,
      truncated: slice.truncated,
      nextLine: slice.truncated && src.linesMapToFile && slice.lineEnd < slice.lastLine ? slice.lineEnd + 1 : null,
      stale: src.stale,
      metadata: JSON.parse(doc.extra) as Record<string, unknown>,
    };
  },
  toText(out) {
    const head = `${out.title ?? out.docId}${out.date ? ` (${out.date})` : ''} — ${formatLocation(out)} of ${out.totalLines}${out.url ? `\n${out.url}` : ''}`;
    const tail = out.nextLine ? `\n[… truncated; continue with lineStart ${out.nextLine}]` : '';
    return `${head}\n\n${out.text}${tail}`;
  },
});

/** A document's complete text, exactly as the file holds it (MCP serves it as a resource). */
export async function documentText(ctx: ToolContext, docId: string): Promise<{ path: string; text: string }> {
  const doc = await (await ctx.store()).resolveDocument(docId);
  return { path: doc.rel_path, text: loadDocumentSource(doc).text };
}
