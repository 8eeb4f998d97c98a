import * as z from 'zod';
import { loadDocumentSource } from '../index/document-source.js';
import { decodeTags } from '../index/rows.js';
import { type ToolContext, defineTool } from './tool.js';
import { shortText } from './limits.js';
import { lineCount, sliceLines } from './source-lines.js';
import type { DocumentHeader } from '../core/types.js';

/** An agent asking for "the document" gets at most this much text and a pointer to the rest. */
export const MAX_DOCUMENT_CHARS = 20_000;

export const getDocumentInput = z
  .object({
    docId: shortText('docId').describe('document id as returned by search or list_documents'),
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
  subtitle: string | null;
  type: string;
  tags: string[];
  authors: string[];
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
    const doc = await store.getDocument(input.docId);
    const src = loadDocumentSource(doc);
    const slice = sliceLines(src, doc.rel_path, input.lineStart ?? src.lineBase, input.lineEnd ?? Number.MAX_SAFE_INTEGER, input.maxChars);
    return {
      docId: doc.doc_id,
      title: doc.title,
      subtitle: doc.subtitle,
      date: doc.date,
      url: doc.url,
      type: doc.type,
      tags: decodeTags(doc.tags),
      authors: JSON.parse(doc.authors) as string[],
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
    const head = `${out.title ?? out.docId}${out.date ? ` (${out.date})` : ''} — ${out.path}:${out.lineStart}-${out.lineEnd} of ${out.totalLines}${out.url ? `\n${out.url}` : ''}`;
    const tail = out.nextLine ? `\n[… truncated; continue with lineStart ${out.nextLine}]` : '';
    return `${head}\n\n${out.text}${tail}`;
  },
});

/** A document's complete text, exactly as the file holds it (MCP serves it as a resource). */
export async function documentText(ctx: ToolContext, docId: string): Promise<{ path: string; text: string }> {
  const doc = await (await ctx.store()).getDocument(docId);
  return { path: doc.rel_path, text: loadDocumentSource(doc).text };
}
