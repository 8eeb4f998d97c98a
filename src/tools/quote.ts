import * as z from 'zod';
import { NotFoundError } from '../core/errors.js';
import { loadDocumentSource, type DocumentSource } from '../index/document-source.js';
import type { DocumentRow } from '../index/schema.js';
import { formatLocation } from '../text/citation-format.js';
import { bestWindow, classifyQuote, findExact, passageSimilarity } from '../text/quote-match.js';

/** The quote tool's verbatim test (through case, whitespace, quote marks and markup), for the assistant's own quote check. */
export { findExact } from '../text/quote-match.js';
import type { SearchHit } from '../search/types.js';
import { cappedText, shortList, TEXT_LIMITS } from './limits.js';
import { displayText } from '../text/display.js';
import { defineTool } from './tool.js';
import { offsetsToLines } from './source-lines.js';
import type { DocumentHeader } from '../core/types.js';
import { speakersOfSpan, type SpanSpeakers } from './speakers.js';

export const quoteInput = z
  .object({
    text: cappedText('quote', TEXT_LIMITS.quote).describe('the sentence(s) as remembered or as written in a draft'),
    limit: z.number().int().min(1).max(10).default(3).describe('how many locations / closest passages to return'),
    root: shortList('root').optional().describe('only these roots (collections), by name'),
  })
  .strict();

export type QuoteVerdict = 'verified' | 'paraphrase' | 'not_found';

export interface QuoteLocation extends DocumentHeader, SpanSpeakers {
  type: string;
  path: string;
  lineStart: number;
  lineEnd: number;
  /** `docId:lines`, accepted by cite and get_document. */
  citation: string;
  /** Exact text of the file at that place. */
  text: string;
  /** The same, cleaned for reading (escapes and markup removed). */
  displayText: string;
  /** 1 for a verbatim match; otherwise how close the passage is to the quote (0–1). */
  similarity: number;
  stale: boolean;
}

export interface QuoteOutput {
  quote: string;
  verdict: QuoteVerdict;
  /** Verbatim locations when verified, else the closest passages. */
  locations: QuoteLocation[];
}

/** Documents searched in full for a verbatim match: a real quote ranks its document near the top. */
const EXACT_SCAN_DOCS = 10;

function location(doc: DocumentRow, src: DocumentSource, start: number, end: number, similarity: number): QuoteLocation {
  const lines = offsetsToLines(src, start, end);
  const text = src.text.slice(start, end);
  return {
    docId: doc.doc_id,
    title: doc.title,
    date: doc.date,
    url: doc.url,
    type: doc.type,
    path: doc.rel_path,
    ...lines,
    citation: formatLocation({ docId: doc.doc_id, ...lines }),
    text,
    displayText: displayText(text),
    ...speakersOfSpan(doc, start, end),
    similarity: Number(similarity.toFixed(4)),
    stale: src.stale,
  };
}

export const quoteTool = defineTool({
  name: 'quote',
  title: 'Verify a quote',
  description:
    "Checks whether the author really wrote a sentence and where: 'verified' (found verbatim, ignoring case, whitespace and quote-mark style) with file:line locations, 'paraphrase' (the closest verbatim passages, with a similarity score), or 'not_found'. Use before attributing any quotation to the author.",
  input: quoteInput,
  async run(ctx, input): Promise<QuoteOutput> {
    const retriever = await ctx.retriever();
    const hits: SearchHit[] = await retriever.search({ query: input.text, k: 40, filters: { roots: input.root } });
    const docIds = [...new Set(hits.map((h) => h.docId))].slice(0, EXACT_SCAN_DOCS);
    const docs = new Map((await retriever.store.getDocuments(docIds)).map((d) => [d.doc_id, d]));
    const sources = new Map<string, DocumentSource | null>();
    // A document whose file went away or changed beyond recognition since ingest can't vouch for a quote;
    // the others still can, so it is passed over rather than failing the whole check.
    const sourceOf = (doc: DocumentRow): DocumentSource | null => {
      if (!sources.has(doc.doc_id)) {
        try {
          sources.set(doc.doc_id, loadDocumentSource(doc));
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          sources.set(doc.doc_id, null);
        }
      }
      return sources.get(doc.doc_id) ?? null;
    };

    const exact: QuoteLocation[] = [];
    for (const id of docIds) {
      const doc = docs.get(id);
      if (!doc) continue;
      const src = sourceOf(doc);
      if (!src) continue;
      for (const m of findExact(input.text, src.text)) exact.push(location(doc, src, m.start, m.end, 1));
    }
    if (exact.length > 0) return { quote: input.text, verdict: 'verified', locations: exact.slice(0, input.limit) };

    const scored = hits
      .map((h) => ({ hit: h, score: passageSimilarity(input.text, h.text) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, input.limit);
    const closest: QuoteLocation[] = [];
    for (const { hit, score } of scored) {
      const doc = docs.get(hit.docId) ?? (await retriever.store.getDocuments([hit.docId]))[0];
      if (!doc) continue;
      const src = sourceOf(doc);
      if (!src) continue;
      const w = bestWindow(input.text, hit.text);
      closest.push(location(doc, src, hit.start + w.start, hit.start + w.end, score));
    }
    const verdict = classifyQuote(closest[0]?.similarity ?? 0, false);
    return { quote: input.text, verdict, locations: verdict === 'not_found' ? closest.slice(0, 1) : closest };
  },
  toText(out) {
    // A passage from an interview may be a guest's words: each location says who speaks, never "the author".
    const head =
      out.verdict === 'verified'
        ? 'VERIFIED — found verbatim:'
        : out.verdict === 'paraphrase'
          ? 'PARAPHRASE — not verbatim; the closest passages in the archive:'
          : 'NOT FOUND — nothing in the archive says this.';
    const body = out.locations
      .filter(() => out.verdict !== 'not_found')
      .map((l) => {
        const who = speakerLine(l);
        const sim = out.verdict === 'paraphrase' ? ` · similarity ${l.similarity.toFixed(2)}` : '';
        return `${l.title ?? l.docId}${l.date ? ` (${l.date})` : ''} — ${l.citation}${sim}${who ? `\n${who}` : ''}\n> ${l.displayText.replace(/\n/g, '\n> ')}`;
      })
      .join('\n\n');
    return body ? `${head}\n\n${body}` : head;
  },
});

/** `Ross Taylor (guest) at 00:15:07`, plus the other voices when the passage mixes speakers. */
export function speakerLine(s: SpanSpeakers): string | null {
  if (s.speaker === null) return null;
  const role = s.role ? ` (${s.role})` : '';
  const at = s.timestamp ? ` at ${s.timestamp}` : '';
  const others = s.speakers.filter((n) => n !== s.speaker);
  return `${s.speaker}${role}${at}${others.length ? `; also ${others.join(', ')}` : ''}`;
}
