/**
 * Query-term highlighting for result snippets. Matching is per word on the normalised text
 * (so `I\'m`, `**bold**` and curly quotes highlight like plain text) with the same light stemming
 * as quote matching, so `scaling` in a query lights up `scales` and `scaled`.
 */
import { isStopWord, normalizeForMatch, stem, toOriginalSpan, wordTokens } from './normalize.js';

export interface HighlightSpan {
  start: number;
  end: number;
}

/**
 * Distinct stemmed content words of a query, in order, lower-cased. Stop words are dropped unless
 * the query has nothing else ("to be or not to be" still highlights something).
 */
export function queryTerms(query: string): string[] {
  const words = wordTokens(normalizeForMatch(query).norm).map((w) => w.word);
  const content = words.filter((w) => !isStopWord(w));
  const chosen = content.length > 0 ? content : words;
  return [...new Set(chosen.map(stem))];
}

/**
 * Original-offset spans of words in `text` whose stem (or lower-cased form) is one of `terms`;
 * sorted, non-overlapping. Pass terms from `queryTerms`.
 */
export function highlightSpans(text: string, terms: string[]): HighlightSpan[] {
  if (terms.length === 0 || text === '') return [];
  const want = new Set(terms.map((t) => t.toLowerCase()));
  // Stemming keeps a word's first letter (it cuts and rewrites endings only), so a word starting with an ASCII char
  // that starts no term can't match and skips the stemmer: most words of a passage, on a cold process.
  const initials = new Uint8Array(128);
  for (const t of want) {
    const c = t.charCodeAt(0);
    if (c < 128) initials[c] = 1;
  }
  const n = normalizeForMatch(text);
  const spans: HighlightSpan[] = [];
  for (const w of wordTokens(n.norm)) {
    const c = w.word.charCodeAt(0);
    if (c < 128 && initials[c] === 0 && initials[c >= 65 && c <= 90 ? c + 32 : c] === 0) continue;
    if (!want.has(w.word) && !want.has(stem(w.word))) continue;
    const span = toOriginalSpan(n, w.ns, w.ne);
    const prev = spans[spans.length - 1];
    if (prev && span.start <= prev.end) prev.end = Math.max(prev.end, span.end);
    else spans.push(span);
  }
  return spans;
}

function applySpans(text: string, spans: HighlightSpan[], plainPart: (s: string) => string, markPart: (s: string) => string): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += plainPart(text.slice(at, s.start)) + markPart(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + plainPart(text.slice(at));
}

// Bold + yellow, reset with the matching "off" codes so surrounding styles survive.
const ANSI_ON = '\u001b[1m\u001b[33m';
const ANSI_OFF = '\u001b[39m\u001b[22m';

/** `text` with matched words in bold yellow, for a TTY. */
export function highlightAnsi(text: string, terms: string[]): string {
  return applySpans(
    text,
    highlightSpans(text, terms),
    (s) => s,
    (s) => `${ANSI_ON}${s}${ANSI_OFF}`,
  );
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** HTML-escaped `text` with matched words wrapped in `<mark>`. */
export function highlightHtml(text: string, terms: string[]): string {
  return applySpans(text, highlightSpans(text, terms), escapeHtml, (s) => `<mark>${escapeHtml(s)}</mark>`);
}
