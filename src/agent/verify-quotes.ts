/**
 * Citations are checked, not trusted: every quotation in an answer is looked up verbatim in the
 * passages the tools actually returned during the conversation. Pure functions, no I/O.
 */
import { findElided, splitElisions } from '../tools/quote.js';
import type { QuoteCheck } from './events.js';
import type { DocumentHeader } from '../core/types.js';

/** A passage a tool returned: what the model saw, and so what it may quote. */
export interface EvidenceChunk extends DocumentHeader {
  /** The source number the model cites the document by (`[n]`); one number per document. */
  n: number;
  path: string;
  /** 1-based inclusive file lines of `text` (equal for a JSONL record, whose lines don't map). */
  lineStart: number;
  lineEnd: number;
  /** Exact source text, starting on `lineStart`. */
  text: string;
}

/**
 * Quotations shorter than this many words are not checked. Short quoted runs in an answer are
 * mostly terms, titles and scare quotes ("vibes", "reward hacking") rather than claims about the
 * author's wording; checking them would either verify by coincidence or flood the report with
 * false alarms, hiding the quotes that matter.
 */
export const MIN_QUOTE_WORDS = 5;

export interface ExtractedQuote {
  /** The quotation as written, without citation markers or an attribution line. */
  text: string;
  kind: 'inline' | 'block';
  /** `[n]` markers inside the quotation or right after it. */
  cites: number[];
}

export interface QuoteMatch extends QuoteCheck {
  /** Document and source number where it was found, when verified. */
  docId: string | null;
  n: number | null;
  cites: number[];
}

const CITE_RE = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\](?![(:])/g;

/** Source numbers cited anywhere in the text as `[n]`, `[n, m]` (not links `[1](url)`), in order of first use. */
export function citedNumbers(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(CITE_RE)) {
    for (const part of (m[1] ?? '').split(',')) {
      const n = Number(part.trim());
      if (Number.isInteger(n) && n > 0 && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

function stripCites(text: string): string {
  return text
    .replace(CITE_RE, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []).length;
}

/** Same length, with the given ranges replaced by spaces (keeps offsets of everything else). */
function blank(text: string, ranges: [number, number][]): string {
  let out = text;
  for (const [a, b] of ranges) out = out.slice(0, a) + out.slice(a, b).replace(/[^\n]/g, ' ') + out.slice(b);
  return out;
}

/** `[n]` markers on the rest of the line after `end` (a quotation's citation usually follows it). */
function citesAfter(text: string, end: number): number[] {
  const nl = text.indexOf('\n', end);
  const rest = text.slice(end, nl < 0 ? text.length : nl);
  // Only up to the next quotation on the same line, so two quotes don't share each other's citations.
  const stop = rest.search(/["“]/);
  return citedNumbers(stop < 0 ? rest : rest.slice(0, stop));
}

/**
 * Quotations in an answer: markdown block quotes (`> …`, consecutive lines are one quotation), then
 * inline “curly” and "straight" double-quoted runs outside code and block quotes. A quotation may
 * not span a blank line (an unmatched quote mark must not swallow the rest of the answer).
 */
export function extractQuotes(answer: string, minWords = MIN_QUOTE_WORDS): ExtractedQuote[] {
  const out: ExtractedQuote[] = [];
  const consumed: [number, number][] = [];

  // Code can hold quote marks that are not quotations.
  for (const m of answer.matchAll(/```[\s\S]*?(?:```|$)|`[^`\n]*`/g)) consumed.push([m.index, m.index + m[0].length]);
  let text = blank(answer, consumed);

  const lines = text.split('\n');
  let offset = 0;
  let block: { lines: string[]; start: number; end: number } | null = null;
  const flush = (nextLine: string | undefined) => {
    if (!block) return;
    const body = [...block.lines];
    const cites: number[] = [];
    // A closing attribution line ("— Title, 2022 [2]") is not part of the quotation.
    const last = body[body.length - 1]?.trim() ?? '';
    if (/^(?:—|–|--|-)\s*\S/.test(last) && wordCount(last) <= 12) {
      cites.push(...citedNumbers(last));
      body.pop();
    }
    const raw = body.join('\n');
    cites.push(...citedNumbers(raw));
    // Or the attribution on the line right after the block.
    if (nextLine !== undefined && /^\s*(?:—|–|--|-)?\s*(?:\[\d[\d,\s]*\]\s*)+$/.test(nextLine)) cites.push(...citedNumbers(nextLine));
    const quote = stripCites(raw);
    if (wordCount(quote) >= minWords) out.push({ text: quote, kind: 'block', cites: unique(cites) });
    consumed.push([block.start, block.end]);
    block = null;
  };
  lines.forEach((line, i) => {
    const m = /^ {0,3}((?:>\s?)+)(.*)$/.exec(line);
    if (m) {
      block ??= { lines: [], start: offset, end: offset };
      block.lines.push(m[2] ?? '');
      block.end = offset + line.length;
    } else {
      flush(line.trim() === '' ? lines[i + 1] : line);
    }
    offset += line.length + 1;
  });
  flush(undefined);
  text = blank(answer, consumed);

  const inline: { start: number; end: number; body: string }[] = [];
  // No blank line inside a quotation. Curly first, then blanked, so straight quotes nested in them
  // can't pair with one outside.
  for (const re of [/“((?:[^“”\n]|\n(?![ \t]*\n))+)”/g, /"((?:[^"\n]|\n(?![ \t]*\n))+)"/g]) {
    const found: [number, number][] = [];
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      inline.push({ start, end, body: answer.slice(start + 1, end - 1) });
      found.push([start, end]);
    }
    text = blank(text, found);
  }
  inline.sort((a, b) => a.start - b.start);
  for (const q of inline) {
    const quote = stripCites(q.body);
    if (wordCount(quote) < minWords) continue;
    out.push({ text: quote, kind: 'inline', cites: unique([...citedNumbers(q.body), ...citesAfter(answer, q.end)]) });
  }
  return out;
}

/**
 * Where `quote` occurs in `chunk`: every fragment between elision marks, in order (the same test as the quote
 * tool's `verified_with_elisions`; one chunk is one passage window).
 */
function locate(quote: string, chunk: EvidenceChunk): { start: number; end: number; elided: boolean } | null {
  const chain = findElided(splitElisions(quote), chunk.text, () => true)[0] ?? [];
  const first = chain[0];
  const last = chain[chain.length - 1];
  return first && last ? { start: first.start, end: last.end, elided: chain.length > 1 } : null;
}

/** `docId:line` or `docId:a-b` of `[start, end)` within the chunk: the reference cite and get accept. */
export function citationWithin(chunk: EvidenceChunk, start: number, end: number): string {
  let a = chunk.lineStart;
  let b = chunk.lineEnd;
  if (chunk.lineEnd > chunk.lineStart) {
    a = Math.min(chunk.lineEnd, chunk.lineStart + countNewlines(chunk.text, 0, start));
    b = Math.min(chunk.lineEnd, chunk.lineStart + countNewlines(chunk.text, 0, Math.max(start, end - 1)));
  }
  return a === b ? `${chunk.docId}:${a}` : `${chunk.docId}:${a}-${b}`;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Check every quotation of `answer` against the evidence. A quotation is verified when it occurs
 * verbatim in one evidence chunk (ignoring case, whitespace, quote-mark style and markdown markup —
 * `findExact`); with `...` omissions, every part must occur in that chunk, in order. Chunks of the
 * documents cited next to the quotation are tried first, so the citation points where the model
 * said; a quotation found only in another retrieved document is still verified (it is the author's
 * text) and its citation says where it really is. Repeated quotations are reported once.
 */
export function checkQuotes(answer: string, evidence: readonly EvidenceChunk[], minWords = MIN_QUOTE_WORDS): QuoteMatch[] {
  const out: QuoteMatch[] = [];
  const seen = new Set<string>();
  for (const q of extractQuotes(answer, minWords)) {
    const key = q.text.toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const preferred = evidence.filter((c) => q.cites.includes(c.n));
    const rest = evidence.filter((c) => !q.cites.includes(c.n));
    let match: QuoteMatch = { quote: q.text, verified: false, verdict: 'not_found', citation: null, docId: null, n: null, cites: q.cites };
    for (const chunk of [...preferred, ...rest]) {
      const span = locate(q.text, chunk);
      if (!span) continue;
      const verdict = span.elided ? 'verified_with_elisions' : 'verified';
      match = { ...match, verified: true, verdict, citation: citationWithin(chunk, span.start, span.end), docId: chunk.docId, n: chunk.n };
      break;
    }
    out.push(match);
  }
  return out;
}

/** `checkQuotes` in the public shape. */
export function verifyQuotes(answer: string, evidence: readonly EvidenceChunk[], minWords = MIN_QUOTE_WORDS): QuoteCheck[] {
  return checkQuotes(answer, evidence, minWords).map(publicCheck);
}

/** The public shape of a quote check (without the document and source numbers used to build the sources list). */
export function publicCheck({ quote, verified, verdict, citation }: QuoteMatch): QuoteCheck {
  return { quote, verified, verdict, citation };
}

function unique(ns: number[]): number[] {
  return [...new Set(ns)];
}
