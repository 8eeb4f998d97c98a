/**
 * What a draft marks as someone's words or as a pointer elsewhere: quotations (quotation marks, block quotes,
 * a line introduced as a quote) and links. Pure text; resolving them against the archive is the check tool's.
 */
import { blockContent, type DraftParagraph } from './draft.js';
import { linkSpans } from './links.js';

export type DraftQuoteKind = 'inline' | 'block' | 'introduced';

export interface DraftQuote {
  paragraph: number;
  kind: DraftQuoteKind;
  /** `[start, end)` in the draft, quotation marks included for an inline quote. */
  start: number;
  end: number;
  /** The quoted words (marks and block-quote markers removed). */
  text: string;
}

/** A quotation of fewer words is a term, a scare quote or a title ("so-called 'reasoning'"), not a quote to verify. */
export const QUOTE_MIN_WORDS = 6;

const wordCount = (s: string) => s.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)?.length ?? 0;

/** Pairs of quotation marks in `text`: curly “…” and straight "…" (paired in order; `\"` escapes skipped). */
export function quotedSpans(text: string): { start: number; end: number; inner: string }[] {
  const out: { start: number; end: number; inner: string }[] = [];
  const re = /“([^“”]*)”|(?<!\\)"((?:[^"\\\n]|\\.)*)"/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length, inner: (m[1] ?? m[2] ?? '').trim() });
  }
  return out;
}

/** "As she put it:", "He told me:", "In his words:" — a clause that hands over to someone else's words. */
const INTRODUCES =
  /\b(?:said|says|saying|put it|puts it|wrote|writes|told me|tells me|told us|explained|noted|argued|remarked|observed|replied|answered|recalled|in (?:his|her|their|my) words|quote)\s*:\s*$/i;

/** An attribution line under a block quote (`— Name`, `-- Name, 2024`), which is no part of the quote. */
const ATTRIBUTION = /\n\s*(?:[—–]|--)\s*[^\n]*$/;

/**
 * Quotations in the draft, per paragraph: inline quotes of QUOTE_MIN_WORDS words or more, block quotes, and a
 * paragraph (or the rest of a sentence) that a clause ending in a colon introduces as someone's words.
 */
export function findDraftQuotes(paragraphs: readonly DraftParagraph[]): DraftQuote[] {
  const out: DraftQuote[] = [];
  paragraphs.forEach((p, i) => {
    if (p.kind === 'code' || p.kind === 'frontmatter' || p.kind === 'heading') return;
    if (p.kind === 'quote') {
      const text = blockContent(p).replace(ATTRIBUTION, '').trim();
      if (wordCount(text) >= 3) out.push({ paragraph: p.index, kind: 'block', start: p.start, end: p.end, text: stripMarks(text) });
      return;
    }
    const prev = paragraphs[i - 1];
    if (prev && prev.kind !== 'code' && INTRODUCES.test(prev.text) && wordCount(p.text) >= QUOTE_MIN_WORDS && p.text.length <= 2_000) {
      out.push({ paragraph: p.index, kind: 'introduced', start: p.start, end: p.end, text: stripMarks(blockContent(p)) });
      return;
    }
    const inline = quotedSpans(p.text).filter((q) => wordCount(q.inner) >= QUOTE_MIN_WORDS);
    for (const q of inline) out.push({ paragraph: p.index, kind: 'inline', start: p.start + q.start, end: p.start + q.end, text: q.inner });
    // "As Eugene put it: self-play is …" with no quotation marks: the rest of the paragraph is the quote.
    const colon = /:\s+/g;
    for (let m = colon.exec(p.text); m !== null; m = colon.exec(p.text)) {
      if (!INTRODUCES.test(p.text.slice(0, m.index + 1))) continue;
      const from = m.index + m[0].length;
      const rest = p.text.slice(from);
      if (wordCount(rest) < QUOTE_MIN_WORDS || inline.some((q) => q.start >= from)) break;
      out.push({ paragraph: p.index, kind: 'introduced', start: p.start + from, end: p.end, text: stripMarks(rest) });
      break;
    }
  });
  return out;
}

/** Surrounding quotation marks and emphasis a quoted passage carries in the draft. */
function stripMarks(text: string): string {
  return text
    .trim()
    .replace(/^[*_]+|[*_]+$/g, '')
    .replace(/^["“]|["”]$/g, '')
    .trim();
}

export interface DraftLink {
  paragraph: number;
  /** `[start, end)` of the whole link in the draft (`[text](url)`, `<url>` or the bare URL). */
  start: number;
  end: number;
  /** The link text, or null for a bare URL. */
  label: string | null;
  url: string;
}

/** Links (markdown links, autolinks, bare URLs) in the draft's paragraphs, found as ingest finds them in documents. */
export function findDraftLinks(paragraphs: readonly DraftParagraph[]): DraftLink[] {
  const out: DraftLink[] = [];
  for (const p of paragraphs) {
    if (p.kind === 'code' || p.kind === 'frontmatter') continue;
    for (const l of linkSpans(p.text))
      out.push({ paragraph: p.index, start: p.start + l.start, end: p.start + l.end, label: l.text, url: l.url });
  }
  return out.sort((a, b) => a.start - b.start);
}
