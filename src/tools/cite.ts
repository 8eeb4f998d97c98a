import * as z from 'zod';
import { NotFoundError } from '../core/errors.js';
import { type DocumentSource, loadDocumentSource } from '../index/document-source.js';
import type { DocumentRow } from '../index/schema.js';
import { CITATION_FORMATS, type CitationFormat, type CitationInput, formatCitation, formatLocation } from '../text/citation-format.js';
import { displayText, rawSpeakerLabelLength, stripSpeakerLabel } from '../text/display.js';
import { paragraphRanges } from '../text/lines.js';
import { findExact, type Span, splitElisions } from '../text/quote-match.js';
import { sentenceRanges } from '../text/sentences.js';
import { resolveDocRef } from './doc-ref.js';
import { shortList, shortText, TEXT_LIMITS } from './limits.js';
import { elidedSpans, quoteTool } from './quote.js';
import { lineCount, lineRangeOffsets, offsetsToLines, sliceLines } from './source-lines.js';
import { speakersOfSpan } from './speakers.js';
import { defineTool } from './tool.js';

/** A citation quotes at most this much; longer ranges are cut at a line boundary and say so. */
const MAX_QUOTE_CHARS = 4000;

export const citeInput = z
  .object({
    docId: shortText('docId')
      .optional()
      .describe('document id as printed by search (`id` or `id:12-18`; a unique ending of the id also works)'),
    lineStart: z.number().int().min(1).optional().describe('first line to quote (1-based)'),
    lineEnd: z.number().int().min(1).optional().describe('last line to quote (inclusive); defaults to lineStart'),
    quote: z
      .string()
      .trim()
      .min(1)
      .max(TEXT_LIMITS.quote, `the quote is longer than the limit of ${TEXT_LIMITS.quote} characters`)
      .optional()
      .describe(
        'a sentence or quote to cite: found verbatim (in docId, or anywhere) and cited as just its sentence(s) with their lines; left-out words marked "…", "...", "[…]" or "[...]" are elisions, cited from the first fragment\'s sentence to the last one\'s',
      ),
    root: shortList('root').optional().describe('with quote and no docId: only search these roots'),
    format: z.enum(CITATION_FORMATS).default('markdown').describe('citation style: markdown, footnote, plain, json, csl-json or bibtex'),
  })
  .strict()
  .refine((v) => v.docId !== undefined || v.quote !== undefined, { message: 'give docId, quote, or both', path: ['docId'] })
  .refine((v) => v.quote === undefined || v.lineStart === undefined, {
    message: 'give a quote or a line range, not both',
    path: ['lineStart'],
  })
  .refine((v) => v.lineEnd === undefined || v.lineStart !== undefined, { message: 'lineEnd needs lineStart', path: ['lineEnd'] })
  .refine((v) => v.lineEnd === undefined || v.lineStart === undefined || v.lineEnd >= v.lineStart, {
    message: 'lineEnd must not be before lineStart',
    path: ['lineEnd'],
  });

export interface CiteOutput {
  citation: string;
  format: CitationFormat;
  source: CitationInput;
  /** The file changed since it was indexed; re-run ingest before trusting line numbers. */
  stale: boolean;
  truncated: boolean;
  /** For a quote, the quote tool's verdict on it (cite takes only verified ones); null for lines or a whole document. */
  verdict: 'verified' | 'verified_with_elisions' | null;
  /** For an elided quote, where each fragment stands (`docId:lines`); empty otherwise. */
  fragments: { lineStart: number; lineEnd: number; citation: string }[];
}

/** Offsets of the whole sentences around [start, end) within its paragraph. */
export function sentenceSpan(text: string, start: number, end: number): { start: number; end: number } {
  const para = paragraphRanges(text, 0, text.length).find(([s, e]) => s <= start && start < e);
  if (!para) return { start, end };
  const sentences = sentenceRanges(text, para[0], Math.max(para[1], end));
  const inside = sentences.filter(([s, e]) => e > start && s < end);
  return { start: Math.min(start, inside[0]?.[0] ?? start), end: Math.max(end, inside.at(-1)?.[1] ?? end) };
}

interface Quoted {
  start: number;
  end: number;
  text: string;
  truncated: boolean;
  verdict: CiteOutput['verdict'];
  /** Where the quoted words stand: one span, or one per fragment of an elided quote (the outer ends widened). */
  spans: Span[];
}

/**
 * The quote found in a document, verbatim or with elisions (each fragment verbatim, in order, by the quote
 * tool's rule), widened to whole sentences at its outer ends; a turn's speaker label is left out.
 */
function locateQuote(doc: DocumentRow, src: DocumentSource, quote: string): Quoted {
  const exact = findExact(quote, src.text)[0];
  const fragments = exact ? [] : splitElisions(quote);
  const chain = exact ? [exact] : fragments.length > 1 ? elidedSpans(doc, src, fragments)[0] : undefined;
  if (!chain) {
    throw new NotFoundError(
      `"${excerpt(quote)}" is not in ${doc.doc_id} verbatim or with elisions — the quote tool finds the closest passages`,
    );
  }
  const first = chain[0] as Span;
  const last = chain[chain.length - 1] as Span;
  let start = sentenceSpan(src.text, first.start, first.end).start;
  const end = sentenceSpan(src.text, last.start, last.end).end;
  // A sentence that opens a speaker turn starts after the turn's label (the citation names the speaker).
  const turnStarts = speakersOfSpan(doc, start, start + 1).speaker !== null;
  const label = turnStarts ? rawSpeakerLabelLength(src.text.slice(start, end)) : 0;
  if (label > 0 && start + label <= first.start) start += label;
  const spans = chain.map((s, i) => ({ start: i === 0 ? start : s.start, end: i === chain.length - 1 ? end : s.end }));
  return { start, end, text: src.text.slice(start, end), truncated: false, verdict: exact ? 'verified' : 'verified_with_elisions', spans };
}

function excerpt(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

export const citeTool = defineTool({
  name: 'cite',
  title: 'Cite a passage',
  description:
    'A ready-to-paste citation (speaker, title, book and chapter, date, URL with a link to the quoted words, docId:lines) quoting the file verbatim. Give the docId and lineStart/lineEnd from search, or a quote (sentence) to cite just that sentence; formats markdown, footnote, plain, json, csl-json, bibtex.',
  input: citeInput,
  async run(ctx, input): Promise<CiteOutput> {
    const store = await ctx.store();
    let docRef = input.docId;
    if (docRef === undefined && input.quote !== undefined) {
      const found = await quoteTool.run(ctx, { text: input.quote, limit: 1, root: input.root });
      const best = found.locations[0];
      if ((found.verdict !== 'verified' && found.verdict !== 'verified_with_elisions') || !best) {
        const near = best ? `; closest: ${best.citation}` : '';
        throw new NotFoundError(
          `"${excerpt(input.quote)}" is not in the archive verbatim or with elisions (quote: ${found.verdict})${near}`,
        );
      }
      docRef = best.docId;
    }
    const {
      doc,
      lineStart: from,
      lineEnd: to,
    } = await resolveDocRef(store, { docId: docRef ?? '', lineStart: input.lineStart, lineEnd: input.lineEnd });
    const src = loadDocumentSource(doc);
    let quoted: Quoted | null = null;
    if (input.quote !== undefined) {
      quoted = locateQuote(doc, src, input.quote);
    } else if (from !== undefined) {
      const slice = sliceLines(src, doc.doc_id, from, to ?? from, MAX_QUOTE_CHARS);
      const { start } = lineRangeOffsets(src, slice.lineStart, slice.lineEnd);
      quoted = { start, end: start + slice.text.length, text: slice.text, truncated: slice.truncated, verdict: null, spans: [] };
    }
    // Without a line range or quote the citation names the whole document and quotes nothing.
    const lines = quoted
      ? offsetsToLines(src, quoted.start, quoted.end)
      : { lineStart: src.lineBase, lineEnd: src.lineBase + lineCount(src) - 1 };
    const elided = quoted !== null && quoted.spans.length > 1 ? quoted.spans : null;
    // An elision leaves out what lies between its fragments (a host's "Yeah." between a guest's turns): the
    // voices are those of the quoted words, which the elision rule keeps to one speaker's turns.
    const voiceEnd = elided ? (elided[0] as Span).end : (quoted?.end ?? 0);
    const voices = quoted ? speakersOfSpan(doc, quoted.start, voiceEnd) : null;
    const oneVoice = voices !== null && voices.speakers.length <= 1;
    const clean = !quoted
      ? null
      : elided
        ? elided.map((s) => displayText(src.text.slice(s.start, s.end))).join(' … ')
        : displayText(quoted.text);
    const source: CitationInput = {
      docId: doc.doc_id,
      title: doc.title,
      date: doc.date,
      url: doc.url,
      relPath: doc.rel_path,
      ...lines,
      quote: quoted?.text ?? null,
      // One speaker: the citation names them, so their label leaves the quote; several keep their labels.
      displayQuote: clean !== null && oneVoice && voices?.speaker ? stripSpeakerLabel(clean) : clean,
      speaker: voices?.speaker ?? null,
      timestamp: voices?.timestamp ?? null,
      role: voices?.role ?? null,
      speakers: voices?.speakers ?? [],
      type: doc.type,
      authors: JSON.parse(doc.authors) as string[],
      container: doc.container,
      chapter: doc.chapter,
    };
    return {
      citation: formatCitation(source, input.format),
      format: input.format,
      source,
      stale: src.stale,
      truncated: quoted?.truncated ?? false,
      verdict: quoted?.verdict ?? null,
      fragments: elided
        ? elided.map((s) => {
            const at = offsetsToLines(src, s.start, s.end);
            return { ...at, citation: formatLocation({ docId: doc.doc_id, ...at }) };
          })
        : [],
    };
  },
  toText(out) {
    const notes = [
      out.fragments.length ? `(verified with elisions: ${out.fragments.map((f) => f.citation).join(' … ')})` : '',
      out.stale ? '(note: the file changed since it was indexed — re-run ingest)' : '',
      out.truncated ? '(quote shortened)' : '',
    ].filter(Boolean);
    return [out.citation, ...notes].join('\n');
  },
});
