import * as z from 'zod';
import { NotFoundError } from '../core/errors.js';
import { loadDocumentSource, type DocumentSource } from '../index/document-source.js';
import type { DocumentRow } from '../index/schema.js';
import { formatLocation } from '../text/citation-format.js';
import {
  bestWindow,
  classifyQuote,
  compareWords,
  findElided,
  findExact,
  isClose,
  MAX_QUOTE_FRAGMENTS,
  passageSimilarity,
  splitElisions,
  type QuoteVerdict,
  type Span,
  type WordDifference,
} from '../text/quote-match.js';

/** The quote tool's verbatim and elision tests (through case, whitespace, quote marks and markup), for the assistant's own quote check. */
export { findElided, splitElisions } from '../text/quote-match.js';
import type { SearchHit } from '../search/types.js';
import { cappedText, shortList, TEXT_LIMITS } from './limits.js';
import { displayText } from '../text/display.js';
import { defineTool, type ToolContext } from './tool.js';
import { offsetsToLines } from './source-lines.js';
import type { DocumentHeader, TurnMark } from '../core/types.js';
import { documentTurns, speakersOfSpan, turnIndexAt, voiceAt, type Voice } from './speakers.js';
import { withoutSharedLines } from './passage-overlap.js';

export type { QuoteVerdict, WordDifference } from '../text/quote-match.js';

export const quoteInput = z
  .object({
    text: cappedText('quote', TEXT_LIMITS.quote).describe(
      'the sentence(s) as remembered or as written in a draft; mark left-out words with "…", "...", "[…]" or "[...]"',
    ),
    limit: z.number().int().min(1).max(10).default(3).describe('how many locations / closest passages to return'),
    root: shortList('root').optional().describe('only these roots (collections), by name'),
  })
  .strict();

export type QuoteInput = z.input<typeof quoteInput>;

/** One fragment of the quote (the whole quote when it has no elisions) and where it stands in the source. */
export interface QuoteFragment {
  /** The fragment as quoted. */
  quote: string;
  lineStart: number;
  lineEnd: number;
  /** `docId:lines` of this fragment. */
  citation: string;
  /** Exact text of the file there. */
  text: string;
  speaker: string | null;
  timestamp: string | null;
}

export interface QuoteLocation extends DocumentHeader, Omit<Voice, 'turn'> {
  type: string;
  path: string;
  lineStart: number;
  lineEnd: number;
  /** `docId:lines`, accepted by cite and get_document. */
  citation: string;
  /** Exact text of the file at that place; for an elided quote, the fragments' exact texts joined by " … ". */
  text: string;
  /** The same, cleaned for reading (escapes and markup removed). */
  displayText: string;
  /** Every speaker with a turn in the quoted text, in order. */
  speakers: string[];
  /** 1 for a verbatim match; otherwise how close the passage is to the quote (0–1). */
  similarity: number;
  stale: boolean;
  /** Where each fragment of the quote is (one for a quote without elisions). */
  fragments: QuoteFragment[];
  /** For `close`: the words the quote has where the source has others. */
  differences: WordDifference[];
}

export interface QuoteOutput {
  quote: string;
  verdict: QuoteVerdict;
  /** Who says it at the best location: the interview's speaker, or the author of prose; null when not found. */
  speaker: string | null;
  role: Voice['role'];
  /** The speaker's turn timestamp, when the transcript has them. */
  timestamp: string | null;
  /** `docId:lines` of the best location; null when not found. */
  citation: string | null;
  /** The best location's fragments, each with its lines. */
  fragments: QuoteFragment[];
  /** For `close`: the differing words at the best location. */
  differences: WordDifference[];
  /** Verbatim locations when verified, else the closest passages (the best first). */
  locations: QuoteLocation[];
}

/** Documents searched in full for a verbatim match: a real quote ranks its document near the top. */
const EXACT_SCAN_DOCS = 10;
/**
 * Elided fragments in prose must all lie within this many characters (a passage and its neighbour): further
 * apart, "…" would splice two separate thoughts into one quote.
 */
const ELISION_WINDOW = 2500;
/** Near misses are looked for around the best few passages, this far either side (a quote may cross a chunk edge). */
const CLOSE_CANDIDATES = 3;
const CLOSE_REGION = 2000;

function location(
  doc: DocumentRow,
  src: DocumentSource,
  spans: readonly Span[],
  quoted: readonly string[],
  similarity: number,
  differences: WordDifference[] = [],
): QuoteLocation {
  const turns = documentTurns(doc);
  const first = spans[0] as Span;
  const last = spans[spans.length - 1] as Span;
  const fragments: QuoteFragment[] = spans.map((s, i) => {
    const lines = offsetsToLines(src, s.start, s.end);
    const v = voiceAt(doc, turns, s.start);
    return {
      quote: quoted[i] ?? '',
      ...lines,
      citation: formatLocation({ docId: doc.doc_id, ...lines }),
      text: src.text.slice(s.start, s.end),
      speaker: v.speaker,
      timestamp: v.timestamp,
    };
  });
  const lines = offsetsToLines(src, first.start, last.end);
  const text = fragments.map((f) => f.text).join(' … ');
  const voice = voiceAt(doc, turns, first.start);
  // Elided fragments skip the turns between them: only the voices of the quoted words count.
  const speakers =
    spans.length === 1
      ? speakersOfSpan(doc, first.start, first.end).speakers
      : [...new Set(fragments.map((f) => f.speaker).filter((s): s is string => s !== null))];
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
    speaker: voice.speaker,
    role: voice.role,
    timestamp: voice.timestamp,
    speakers,
    similarity: Number(similarity.toFixed(4)),
    stale: src.stale,
    fragments,
    differences,
  };
}

/**
 * May `next` follow the fragments found so far? In a transcript every fragment must be inside a turn of the
 * first fragment's speaker, in that turn or that speaker's next one (a host's "Yeah." between them is left
 * out by the elision); in prose they must lie within ELISION_WINDOW of the first.
 */
function fitsVoice(turns: readonly TurnMark[]) {
  return (chain: readonly Span[], next: Span): boolean => {
    const first = chain[0] as Span;
    const prev = chain[chain.length - 1] as Span;
    const tFirst = turnIndexAt(turns, first.start);
    const tNext = turnIndexAt(turns, next.start);
    // No fragment may run from one speaker's turn into another's.
    if (turnIndexAt(turns, first.end - 1) !== tFirst || turnIndexAt(turns, next.end - 1) !== tNext) return false;
    if (tFirst < 0) return tNext < 0 && next.end - first.start <= ELISION_WINDOW;
    const speaker = (turns[tFirst] as TurnMark).speaker;
    if (tNext < 0 || (turns[tNext] as TurnMark).speaker !== speaker) return false;
    for (let i = turnIndexAt(turns, prev.start) + 1; i < tNext; i++) if ((turns[i] as TurnMark).speaker === speaker) return false;
    return true;
  };
}

/**
 * Where an elided quote's fragments (`splitElisions`) stand verbatim in one document, in order, kept to one
 * speaker's adjacent turns or one stretch of prose (`fitsVoice`): one span per fragment, the best chain first.
 * The quote tool and cite verify an elision by the same rule.
 */
export function elidedSpans(doc: DocumentRow, src: DocumentSource, fragments: readonly string[]): Span[][] {
  return findElided(fragments, src.text, fitsVoice(documentTurns(doc)));
}

/**
 * The quote's fragments near `hit`, each verbatim or close (`compareWords`), in order: a near miss of the
 * whole quote, with the words that differ. Null when some fragment is further off than `close` allows.
 */
function nearMiss(
  fragments: readonly string[],
  src: DocumentSource,
  hit: SearchHit,
): { spans: Span[]; differences: WordDifference[] } | null {
  if (fragments.length > MAX_QUOTE_FRAGMENTS) return null;
  const from = Math.max(0, hit.start - CLOSE_REGION);
  const region = src.text.slice(from, Math.min(src.text.length, hit.end + CLOSE_REGION));
  const spans: Span[] = [];
  const differences: WordDifference[] = [];
  let pos = 0;
  for (const fragment of fragments) {
    const rest = region.slice(pos);
    const exact = findExact(fragment, rest)[0];
    let span = exact;
    if (!span) {
      const c = compareWords(fragment, rest);
      if (!isClose(c)) return null;
      span = c.span;
      differences.push(...c.differences);
    }
    spans.push({ start: from + pos + span.start, end: from + pos + span.end });
    pos += span.end;
  }
  return { spans, differences };
}

/** What a caller inside priors leaves out of a quote check (not part of the tool's input). */
export interface QuoteScope {
  /** Documents that can't vouch for the quote: the draft checker's draft, when the draft is itself indexed. */
  excludeDocIds?: string[] | undefined;
}

/**
 * Check a quote against the archive: the verdict, who says it (speaker, role, timestamp) and where each of its
 * fragments is. This is the `quote` tool; other tools (the draft checker) call it for every quote they find.
 *
 * Verbatim (through case, whitespace, quote marks, dashes, markup and escapes) is `verified`; every fragment
 * between elision marks verbatim, in order, within one passage or adjacent turns of one speaker, is
 * `verified_with_elisions`; the same words with a few changed is `close`; the idea reworded is `paraphrase`.
 */
export async function verifyQuote(ctx: ToolContext, input: QuoteInput, scope: QuoteScope = {}): Promise<QuoteOutput> {
  const limit = input.limit ?? 3;
  const fragments = splitElisions(input.text);
  const query = fragments.join(' ') || input.text;
  const retriever = await ctx.retriever();
  const filters = { roots: input.root, excludeDocIds: scope.excludeDocIds };
  const hits: SearchHit[] = await retriever.search({ query, k: 40, filters });
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
  const scanned = docIds.flatMap((id) => {
    const doc = docs.get(id);
    const src = doc ? sourceOf(doc) : null;
    return doc && src ? [{ doc, src }] : [];
  });
  const result = (verdict: QuoteVerdict, locations: QuoteLocation[]): QuoteOutput => {
    const best = verdict === 'not_found' ? undefined : locations[0];
    return {
      quote: input.text,
      verdict,
      speaker: best?.speaker ?? null,
      role: best?.role ?? null,
      timestamp: best?.timestamp ?? null,
      citation: best?.citation ?? null,
      fragments: best?.fragments ?? [],
      differences: best?.differences ?? [],
      locations,
    };
  };

  // As written first: a transcript may hold an ellipsis itself.
  const exact = scanned.flatMap(({ doc, src }) => findExact(input.text, src.text).map((m) => location(doc, src, [m], [input.text], 1)));
  // Two occurrences on one long line would cite the same line twice.
  if (exact.length > 0) return result('verified', withoutSharedLines(exact).slice(0, limit));
  if (fragments.length > 1) {
    const elided = scanned.flatMap(({ doc, src }) =>
      elidedSpans(doc, src, fragments).map((chain) => location(doc, src, chain, fragments, 1)),
    );
    if (elided.length > 0) return result('verified_with_elisions', withoutSharedLines(elided).slice(0, limit));
  }

  const scored = hits.map((h) => ({ hit: h, score: passageSimilarity(query, h.text) })).sort((a, b) => b.score - a.score);
  const docOf = async (docId: string) => docs.get(docId) ?? (await retriever.store.getDocuments([docId]))[0];
  for (const { hit, score } of scored.slice(0, CLOSE_CANDIDATES)) {
    const doc = await docOf(hit.docId);
    const src = doc ? sourceOf(doc) : null;
    const near = doc && src ? nearMiss(fragments.length ? fragments : [input.text], src, hit) : null;
    if (doc && src && near) return result('close', [location(doc, src, near.spans, fragments, score, near.differences)]);
  }

  const closest: QuoteLocation[] = [];
  for (const { hit, score } of scored) {
    if (closest.length >= limit) break;
    const doc = await docOf(hit.docId);
    const src = doc ? sourceOf(doc) : null;
    if (!doc || !src) continue;
    const w = bestWindow(query, hit.text);
    const candidate = location(doc, src, [{ start: hit.start + w.start, end: hit.start + w.end }], [input.text], score);
    // Two windows sharing lines of one document would show the same words twice.
    if (withoutSharedLines([...closest, candidate]).length > closest.length) closest.push(candidate);
  }
  const verdict = classifyQuote(closest[0]?.similarity ?? 0, false);
  return result(verdict, verdict === 'not_found' ? closest.slice(0, 1) : closest);
}

const HEADS: Record<QuoteVerdict, string> = {
  verified: 'VERIFIED — found verbatim:',
  verified_with_elisions: 'VERIFIED WITH ELISIONS — every fragment is verbatim, in order:',
  close: 'CLOSE — nearly verbatim; the words that differ:',
  paraphrase: 'PARAPHRASE — not verbatim; the closest passages in the archive:',
  not_found: 'NOT FOUND — nothing in the archive says this.',
};

export const quoteTool = defineTool({
  name: 'quote',
  title: 'Verify a quote',
  description:
    "Checks whether a quote is really in the archive, where, and who said it (the author, or an interview's guest, with the timestamp): 'verified' (verbatim, ignoring case, whitespace, quote-mark and dash style, markup), 'verified_with_elisions' (every fragment between '…' marks verbatim, in order, in one passage or one speaker's adjacent turns; each fragment with its lines), 'close' (a few words differ; they are listed), 'paraphrase' (the closest verbatim passages, with a similarity score), or 'not_found'. Use before attributing any quotation.",
  input: quoteInput,
  run: verifyQuote,
  toText(out) {
    const head = HEADS[out.verdict];
    if (out.verdict === 'not_found') return head;
    const body = out.locations
      .map((l) => {
        const who = speakerLine(l);
        const sim = out.verdict === 'paraphrase' ? ` · similarity ${l.similarity.toFixed(2)}` : '';
        const parts =
          l.fragments.length > 1
            ? l.fragments.map((f, i) => `\n  ${i + 1}. ${f.citation}${f.timestamp ? ` [${f.timestamp}]` : ''}`).join('')
            : '';
        const diffs = l.differences.length ? `\n${l.differences.map((d) => `  ${differenceText(d)}`).join('\n')}` : '';
        return `${l.title ?? l.docId}${l.date ? ` (${l.date})` : ''} — ${l.citation}${sim}${who ? `\n${who}` : ''}${parts}${diffs}\n> ${l.displayText.replace(/\n/g, '\n> ')}`;
      })
      .join('\n\n');
    return body ? `${head}\n\n${body}` : head;
  },
});

/**
 * One differing stretch in words: a dash standing for "nothing" (`quote "—" · source "best"`) read as if the
 * quote held a dash, so words left out and words added are named as such.
 */
function differenceText(d: WordDifference): string {
  if (!d.quote) return `left out "${d.source}"`;
  if (!d.source) return `not in the archive: "${d.quote}"`;
  return `you have "${d.quote}", the archive "${d.source}"`;
}

/** `Ross Taylor (guest) at 00:15:07`, plus the other voices when the passage mixes speakers. */
export function speakerLine(s: Pick<QuoteLocation, 'speaker' | 'role' | 'timestamp' | 'speakers'>): string | null {
  if (s.speaker === null) return null;
  const role = s.role ? ` (${s.role})` : '';
  const at = s.timestamp ? ` at ${s.timestamp}` : '';
  const others = s.speakers.filter((n) => n !== s.speaker);
  return `${s.speaker}${role}${at}${others.length ? `; also ${others.join(', ')}` : ''}`;
}
