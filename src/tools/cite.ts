import * as z from 'zod';
import { loadDocumentSource } from '../index/document-source.js';
import { formatCitation, type CitationInput } from '../text/citation-format.js';
import { defineTool } from './tool.js';
import { shortText } from './limits.js';
import { lineCount, sliceLines } from './source-lines.js';

/** A citation quotes at most this much; longer ranges are cut at a line boundary and say so. */
const MAX_QUOTE_CHARS = 4000;

export const citeInput = z
  .object({
    docId: shortText('docId').describe('document id as returned by search (its path, or a record id)'),
    lineStart: z.number().int().min(1).optional().describe('first line to quote (1-based)'),
    lineEnd: z.number().int().min(1).optional().describe('last line to quote (inclusive); defaults to lineStart'),
    format: z.enum(['markdown', 'footnote', 'plain', 'json']).default('markdown').describe('citation style'),
  })
  .strict()
  .refine((v) => v.lineEnd === undefined || v.lineStart !== undefined, { message: 'lineEnd needs lineStart', path: ['lineEnd'] })
  .refine((v) => v.lineEnd === undefined || v.lineStart === undefined || v.lineEnd >= v.lineStart, {
    message: 'lineEnd must not be before lineStart',
    path: ['lineEnd'],
  });

export interface CiteOutput {
  citation: string;
  format: 'markdown' | 'footnote' | 'plain' | 'json';
  source: CitationInput;
  /** The file changed since it was indexed; re-run ingest before trusting line numbers. */
  stale: boolean;
  truncated: boolean;
}

export const citeTool = defineTool({
  name: 'cite',
  title: 'Cite a passage',
  description:
    'A ready-to-paste citation (title, date, URL, path:lines) for a document or an exact line range of it, quoting those lines verbatim from the file. Use after search, passing its docId and lineStart/lineEnd.',
  input: citeInput,
  async run(ctx, input): Promise<CiteOutput> {
    const store = await ctx.store();
    const doc = await store.getDocument(input.docId);
    const src = loadDocumentSource(doc);
    // Without a line range the citation names the whole document and quotes nothing.
    const slice =
      input.lineStart === undefined
        ? null
        : sliceLines(src, doc.rel_path, input.lineStart, input.lineEnd ?? input.lineStart, MAX_QUOTE_CHARS);
    const lineStart = slice?.lineStart ?? src.lineBase;
    const lineEnd = slice?.lineEnd ?? src.lineBase + lineCount(src) - 1;
    const source: CitationInput = {
      docId: doc.doc_id,
      title: doc.title,
      date: doc.date,
      url: doc.url,
      relPath: doc.rel_path,
      lineStart,
      lineEnd,
      quote: slice?.text ?? null,
    };
    return {
      citation: formatCitation(source, input.format),
      format: input.format,
      source,
      stale: src.stale,
      truncated: slice?.truncated ?? false,
    };
  },
  toText(out) {
    const notes = [
      out.stale ? '(note: the file changed since it was indexed — run `priors ingest`)' : '',
      out.truncated ? '(quote shortened)' : '',
    ].filter(Boolean);
    return [out.citation, ...notes].join('\n');
  },
});
