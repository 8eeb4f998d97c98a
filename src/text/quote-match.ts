/**
 * Quote verification: exact matching through formatting noise, and a fuzzy score that recognises a
 * misremembered or paraphrased quote and points at the closest verbatim span.
 */
import {
  isStopWord,
  isWordChar,
  normalizeForMatch,
  stem,
  toOriginalSpan,
  wordTokens,
  type NormalizedText,
  type WordToken,
} from './normalize.js';

export interface Span {
  start: number;
  end: number;
}

export interface ScoredSpan extends Span {
  score: number;
}

/**
 * `verified`: verbatim (after normalisation); `verified_with_elisions`: every fragment between elision marks is
 * verbatim, in order, in one passage or in adjacent turns of one speaker; `close`: the same words but a few
 * (shown); `paraphrase`: the idea, reworded; `not_found`: nothing in the archive says it.
 */
export type QuoteVerdict = 'verified' | 'verified_with_elisions' | 'close' | 'paraphrase' | 'not_found';

/**
 * `passageSimilarity` at or above this (without an exact hit) reads as a paraphrase.
 * Calibration: on the fixtures in tests/search/quote-match.test.ts, made-up sentences on the same
 * topics score ≤ 0.35 and misremembered quotes ≥ 0.7. In a simulation over ~320 prose passages,
 * sentences with 25% of words dropped, inflections changed or clauses swapped scored ≥ 0.5 in
 * ≥ 99% of cases (72% when 25% of words were replaced by random ones), while the best of 50
 * unrelated passages had median 0.26 — most of its ≥ 0.5 tail were genuine near-duplicates.
 * Raise it to trade recall of loose paraphrases for fewer false "paraphrase" verdicts.
 */
export const PARAPHRASE_THRESHOLD = 0.5;

/** Only an exact (normalised) hit is `verified`; fuzzy scores never are, however high (`close` is decided by `compareWords`). */
export function classifyQuote(bestScore: number, exactFound: boolean): 'verified' | 'paraphrase' | 'not_found' {
  if (exactFound) return 'verified';
  return bestScore >= PARAPHRASE_THRESHOLD ? 'paraphrase' : 'not_found';
}

// "…", "...", "[…]", "[...]" (and the same in parentheses) with the spaces around them.
const ELISION_RE = /\s*(?:[[(]\s*(?:\.\s*\.\s*\.|…)\s*[\])]|\.\s?\.\s?\.|…)\s*/;

/**
 * The fragments of a quote between its elision marks, each holding a letter or digit; a quote without an
 * elision (or with one only at its start or end) is one fragment.
 */
export function splitElisions(quote: string): string[] {
  return quote.split(ELISION_RE).filter((p) => /[\p{L}\p{N}]/u.test(p));
}

/**
 * Bounds that keep a hostile quote ("a … a … a …" against a long transcript) to milliseconds: fragments
 * considered (a quote cut in more places than this is not one quote), first-fragment places tried, chains
 * returned, and later occurrences tried per fragment.
 */
export const MAX_QUOTE_FRAGMENTS = 24;
const MAX_STARTS = 200;
const MAX_CHAINS = 10;
const MAX_TRIES = 64;

/**
 * Verbatim places of a quote's fragments (see `splitElisions`) in `source`: chains of one span per fragment,
 * in order and not overlapping, the first span of each chain at a different place (at most MAX_CHAINS).
 * `fits(chain, next)` says whether `next` may follow the spans found so far (same passage window, same
 * speaker…); the earliest fitting occurrence is taken. The source is normalised once for all fragments.
 */
export function findElided(fragments: readonly string[], source: string, fits: (chain: readonly Span[], next: Span) => boolean): Span[][] {
  const keys = fragments.map(quoteKey);
  if (keys.length === 0 || keys.length > MAX_QUOTE_FRAGMENTS || keys.some((k) => k === '')) return [];
  const s = normalizeForMatch(source);
  const byKey = new Map<string, Span[]>();
  const found: Span[][] = [];
  for (const k of keys) {
    const spans = byKey.get(k) ?? findKey(k, s, source);
    if (spans.length === 0) return [];
    byKey.set(k, spans);
    found.push(spans);
  }
  const out: Span[][] = [];
  for (const first of (found[0] as Span[]).slice(0, MAX_STARTS)) {
    if (out.length >= MAX_CHAINS) break;
    const chain: Span[] = [first];
    for (let i = 1; i < found.length; i++) {
      const prev = chain[chain.length - 1] as Span;
      const spans = found[i] as Span[];
      let next: Span | undefined;
      for (let k = firstAtOrAfter(spans, prev.end), tries = 0; k < spans.length && tries < MAX_TRIES; k++, tries++) {
        if (fits(chain, spans[k] as Span)) {
          next = spans[k];
          break;
        }
      }
      if (!next) break;
      chain.push(next);
    }
    if (chain.length === found.length) out.push(chain);
  }
  return out;
}

/** Index of the first span (sorted by start) starting at or after `offset`. */
function firstAtOrAfter(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid] as Span).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Ends of a pasted quote that say nothing about the text: surrounding quote marks, a final
// period the author had as a comma, leading/trailing ellipses or dashes.
const TRIM_CHARS = new Set([' ', "'", '.', ',', ';', ':', '-']);

/** Normalised quote with decoration trimmed from both ends; '' when nothing is left. */
export function quoteKey(quote: string): string {
  const norm = normalizeForMatch(quote).norm;
  let a = 0;
  let b = norm.length;
  while (a < b && TRIM_CHARS.has(norm[a] as string)) a++;
  while (b > a && TRIM_CHARS.has(norm[b - 1] as string)) b--;
  return norm.slice(a, b);
}

/**
 * Every non-overlapping occurrence of `quote` in `source`, as exact original offsets.
 * Case, whitespace (incl. line breaks, NBSP), quote-mark style, dashes and markdown markup are
 * ignored; a quote that starts/ends with a letter must start/end on a word boundary. Spans swallow
 * emphasis/link markup that encloses them when balanced (`**bold** text`, not `bold** text`).
 */
export function findExact(quote: string, source: string): Span[] {
  const key = quoteKey(quote);
  if (key === '') return [];
  return findKey(key, normalizeForMatch(source), source);
}

function findKey(key: string, s: NormalizedText, source: string): Span[] {
  const out: Span[] = [];
  const needStart = isWordChar(key[0]);
  const needEnd = isWordChar(key[key.length - 1]);
  let from = 0;
  for (;;) {
    const at = s.norm.indexOf(key, from);
    if (at < 0) break;
    const end = at + key.length;
    if ((!needStart || !isWordChar(s.norm[at - 1])) && (!needEnd || !isWordChar(s.norm[end]))) {
      const [a, b] = closeDoubleQuotes(source, s, at, end);
      out.push(snapMarkup(source, s, a, b));
      from = end;
    } else {
      from = at + 1;
    }
  }
  return out;
}

const DOUBLE_QUOTES = '"\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\uFF02';

function isDoubleQuoteAt(source: string, s: NormalizedText, p: number): boolean {
  if (s.norm[p] !== "'") return false;
  const at = s.map[p] ?? -1;
  const ch = source[at] === '\\' ? source[at + 1] : source[at]; // `\"` escape
  return ch !== undefined && DOUBLE_QUOTES.includes(ch);
}

/**
 * `quoteKey` trims the quote's own quote marks, so a hit can end inside a quotation
 * (`model “works`); take in the neighbouring double quote when the span holds an odd number.
 */
function closeDoubleQuotes(source: string, s: NormalizedText, ns: number, ne: number): [number, number] {
  let odd = false;
  for (let p = ns; p < ne; p++) if (isDoubleQuoteAt(source, s, p)) odd = !odd;
  if (!odd) return [ns, ne];
  if (isDoubleQuoteAt(source, s, ne)) return [ns, ne + 1];
  if (ns > 0 && isDoubleQuoteAt(source, s, ns - 1)) return [ns - 1, ne];
  return [ns, ne];
}

const INLINE_MARKERS = '*_~`';

/**
 * Original span of normalised `[ns, ne)`, widened over markup that was dropped right next to it
 * (emphasis runs, `[`, `](url)`) — but only when that keeps the markers balanced, so a quote shows
 * `**bold** text` or `bold text`, never `bold** text`.
 */
function snapMarkup(source: string, s: NormalizedText, ns: number, ne: number): Span {
  const core = toOriginalSpan(s, ns, ne);
  const leftLimit = ns > 0 ? (s.mapEnd[ns - 1] ?? 0) : 0;
  const rightLimit = s.map[ne] ?? source.length;

  let l = core.start;
  while (l > leftLimit && (INLINE_MARKERS.includes(source[l - 1] as string) || source[l - 1] === '[')) l--;

  let r = core.end;
  while (r < rightLimit) {
    const ch = source[r] as string;
    if (INLINE_MARKERS.includes(ch)) {
      r++;
      continue;
    }
    const open = source[r + 1];
    if (ch === ']' && (open === '(' || open === '[')) {
      const close = closingBracket(source, r + 1, rightLimit);
      if (close >= 0) {
        r = close + 1;
        continue;
      }
    }
    break;
  }

  const options: Span[] = [
    { start: l, end: r },
    { start: l, end: core.end },
    { start: core.start, end: r },
  ];
  for (const o of options) if (balanced(source.slice(o.start, o.end))) return o;
  return core;
}

/** Index of the bracket closing the one at `open` (nesting counted, as in `wiki/X_(y)`), or -1 before `limit`. */
function closingBracket(source: string, open: number, limit: number): number {
  const o = source[open];
  const c = o === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < limit; i++) {
    if (source[i] === o) depth++;
    else if (source[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** Markers come in pairs and link brackets close: good enough to avoid showing half of `**x**`. */
function balanced(text: string): boolean {
  const counts: Record<string, number> = { '*': 0, '~': 0, '`': 0 };
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
    else if (ch === '_' && !(isWordChar(text[i - 1]) && isWordChar(text[i + 1]))) counts['_'] = (counts['_'] ?? 0) + 1;
    else if (ch === '[') brackets++;
    else if (ch === ']') {
      if (--brackets < 0) return false;
      // A link destination is a URL, not emphasis: skip it (`wiki/X_(y)`).
      if (text[i + 1] === '(' || text[i + 1] === '[') {
        const close = closingBracket(text, i + 1, text.length);
        if (close < 0) return false;
        i = close;
      }
    }
  }
  return brackets === 0 && Object.values(counts).every((v) => v % 2 === 0);
}

// ---------------------------------------------------------------------------------------------
// Fuzzy alignment

interface Stemmed {
  stem: string;
  tok: WordToken;
  /** Index in the full word list (stop words included). */
  wordIndex: number;
}

function stemmedWords(words: WordToken[], contentOnly: boolean): Stemmed[] {
  const out: Stemmed[] = [];
  words.forEach((tok, wordIndex) => {
    if (contentOnly && isStopWord(tok.word)) return;
    out.push({ stem: stem(tok.word), tok, wordIndex });
  });
  return out;
}

function trigrams(s: string): Set<string> {
  const out = new Set<string>();
  if (s.length < 3) {
    if (s) out.add(s);
    return out;
  }
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return (2 * inter) / (a.size + b.size);
}

/** Sub-score weights; they sum to 1 so an exact text scores 1. */
const W_WINDOW = 0.4; // content words of the quote found together in one window
const W_GLOBAL = 0.15; // content words found anywhere in the passage
const W_ORDER = 0.25; // quote word pairs kept in order (skip-bigrams tolerate one inserted word)
const W_CHARS = 0.2; // char trigrams: typos and inflections the stemmer misses
/** How far (normalised chars) a window may grow to reach a sentence boundary. */
const SENTENCE_SNAP = 80;

interface Alignment {
  score: number;
  /** Normalised range of the best window, before snapping. */
  ns: number;
  ne: number;
  /** Quote words before its first / after its last content word, to pad a word-snapped span. */
  lead: number;
  trail: number;
  exact: Span | null;
}

const NO_MATCH: Alignment = { score: 0, ns: 0, ne: 0, lead: 0, trail: 0, exact: null };

interface QuoteInfo {
  key: string;
  words: WordToken[];
  /** Stem of every word, function words included (to pad a word-snapped span). */
  stems: string[];
  /** The words the alignment counts: content words, or all words for an all-function-word quote. */
  tokens: Stemmed[];
  contentOnly: boolean;
  need: Map<string, number>;
  /** Char trigrams of the quote from its first to its last counted word. */
  trigrams: Set<string>;
}

// One quote is usually checked against many passages in a row: analyse it once.
let lastQuote: { quote: string; info: QuoteInfo } | null = null;

function analyseQuote(quote: string): QuoteInfo {
  if (lastQuote?.quote === quote) return lastQuote.info;
  const key = quoteKey(quote);
  const words = wordTokens(key);
  let tokens = stemmedWords(words, true);
  const contentOnly = tokens.length > 0;
  // A quote made only of function words ("to be or not to be") still deserves an alignment.
  if (!contentOnly) tokens = stemmedWords(words, false);
  const need = new Map<string, number>();
  for (const t of tokens) need.set(t.stem, (need.get(t.stem) ?? 0) + 1);
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const info: QuoteInfo = {
    key,
    words,
    stems: words.map((w) => stem(w.word)),
    tokens,
    contentOnly,
    need,
    trigrams: first && last ? trigrams(key.slice(first.tok.ns, last.tok.ne)) : new Set(),
  };
  lastQuote = { quote, info };
  return info;
}

function align(quote: string, passage: string, pn: NormalizedText, pWords: WordToken[]): Alignment {
  const q = analyseQuote(quote);
  if (q.key === '') return NO_MATCH;
  const exact = findKey(q.key, pn, passage)[0];
  if (exact) return { ...NO_MATCH, score: 1, exact };

  const qt = q.tokens;
  const pt = stemmedWords(pWords, q.contentOnly);
  if (qt.length === 0 || pt.length === 0) return NO_MATCH;
  const need = q.need;
  const m = qt.length;

  // Slide a window a bit wider than the quote, counting quote words it covers (multiset overlap).
  const width = Math.min(pt.length, Math.round(m * 1.3) + 1);
  const have = new Map<string, number>();
  let covered = 0;
  let best = -1;
  let bestAt = 0;
  for (let j = 0; j < pt.length; j++) {
    const add = (pt[j] as Stemmed).stem;
    const wantAdd = need.get(add);
    if (wantAdd !== undefined) {
      const h = have.get(add) ?? 0;
      if (h < wantAdd) covered++;
      have.set(add, h + 1);
    }
    const drop = j - width;
    if (drop >= 0) {
      const rem = (pt[drop] as Stemmed).stem;
      const wantRem = need.get(rem);
      if (wantRem !== undefined) {
        const h = (have.get(rem) ?? 1) - 1;
        have.set(rem, h);
        if (h < wantRem) covered--;
      }
    }
    if (j >= width - 1 && covered > best) {
      best = covered;
      bestAt = j - width + 1;
    }
  }
  if (best <= 0) return NO_MATCH;

  // Tighten the window to its first and last quote word.
  let a = bestAt;
  let b = bestAt + width - 1;
  while (a < b && !need.has((pt[a] as Stemmed).stem)) a++;
  while (b > a && !need.has((pt[b] as Stemmed).stem)) b--;
  const win = pt.slice(a, b + 1);

  const windowScore = best / m;
  const pStems = new Set(pt.map((t) => t.stem));
  let found = 0;
  for (const s of need.keys()) if (pStems.has(s)) found++;
  const globalScore = found / need.size;

  let orderScore = windowScore;
  if (m > 1) {
    const pairs = new Set<string>();
    const ctx = pt.slice(Math.max(0, a - 1), b + 2);
    for (let j = 0; j < ctx.length; j++) {
      const x = (ctx[j] as Stemmed).stem;
      const y = ctx[j + 1];
      const z = ctx[j + 2];
      if (y) pairs.add(`${x} ${y.stem}`);
      if (z) pairs.add(`${x} ${z.stem}`);
    }
    let kept = 0;
    for (let j = 0; j + 1 < m; j++) if (pairs.has(`${(qt[j] as Stemmed).stem} ${(qt[j + 1] as Stemmed).stem}`)) kept++;
    orderScore = kept / (m - 1);
  }

  const first = win[0] as Stemmed;
  const last = win[win.length - 1] as Stemmed;
  const charScore = dice(q.trigrams, trigrams(pn.norm.slice(first.tok.ns, last.tok.ne)));

  const score = W_WINDOW * windowScore + W_GLOBAL * globalScore + W_ORDER * orderScore + W_CHARS * charScore;
  return {
    score: Math.max(0, Math.min(1, score)),
    ns: first.tok.ns,
    ne: last.tok.ne,
    // Pad by the quote words beyond the ones the window's ends matched (matched or not: a
    // misremembered last word should still pull in the passage's own last word).
    lead: Math.max(0, q.stems.indexOf(first.stem)),
    trail: Math.max(0, q.words.length - 1 - q.stems.lastIndexOf(last.stem)),
    exact: null,
  };
}

/**
 * How well `passage` supports `quote`, in [0, 1]: 1 for an exact (normalised) occurrence, high for
 * a misremembered wording of a sentence in the passage, low for an unrelated passage. Compare with
 * `PARAPHRASE_THRESHOLD`. Linear in passage length; normalises both inputs on each call.
 */
export function passageSimilarity(quote: string, passage: string): number {
  const pn = normalizeForMatch(passage);
  return align(quote, passage, pn, wordTokens(pn.norm)).score;
}

/** A space in normalised text that stands for a line break or follows a sentence end. */
function isBoundary(pn: NormalizedText, source: string, p: number): boolean {
  if (pn.norm[p] !== ' ') return false;
  if (source.slice(pn.map[p], pn.mapEnd[p]).includes('\n')) return true;
  let q = p - 1;
  while (q >= 0 && "')]".includes(pn.norm[q] as string)) q--;
  return q >= 0 && '.!?'.includes(pn.norm[q] as string);
}

/**
 * The span of `passage` (original offsets) that best matches `quote`, with its score (same scale
 * as `passageSimilarity`). An exact occurrence is returned as is; otherwise the best window is
 * widened to the enclosing sentence when one starts/ends within ~80 chars, else by the quote's own
 * leading/trailing function words, so it can be shown as the closest verbatim lines.
 * `{ start: 0, end: 0, score: 0 }` when nothing matches.
 */
export function bestWindow(quote: string, passage: string): ScoredSpan {
  const pn = normalizeForMatch(passage);
  const pWords = wordTokens(pn.norm);
  const al = align(quote, passage, pn, pWords);
  if (al.exact) return { ...al.exact, score: 1 };
  if (al.score === 0) return { start: 0, end: 0, score: 0 };

  const len = pn.norm.length;
  let ns = -1;
  for (let p = al.ns - 1; p >= Math.max(-1, al.ns - SENTENCE_SNAP); p--) {
    if (p < 0 || isBoundary(pn, passage, p)) {
      ns = p + 1;
      break;
    }
  }
  if (ns < 0) {
    const idx = pWords.findIndex((w) => w.ns === al.ns);
    ns = (pWords[Math.max(0, idx - al.lead)] as WordToken).ns;
  }
  let ne = -1;
  for (let p = al.ne; p <= Math.min(len, al.ne + SENTENCE_SNAP); p++) {
    if (p === len || isBoundary(pn, passage, p)) {
      ne = p;
      break;
    }
  }
  if (ne < 0) {
    const idx = pWords.findIndex((w) => w.ne === al.ne);
    ne = (pWords[Math.min(pWords.length - 1, idx + al.trail)] as WordToken).ne;
  }
  return { ...snapMarkup(passage, pn, ns, ne), score: al.score };
}

// ---------------------------------------------------------------------------------------------
// Word-level comparison: is a near miss the same sentence with a few words changed?

/** Words that differ between a quote and the source: `quote` was remembered where the source has `source`. */
export interface WordDifference {
  /** The quote's words (empty when the quote left the source's words out). */
  quote: string;
  /** The source's words (empty when the quote added words). */
  source: string;
}

export interface WordComparison {
  /** Original span of the source the quote lines up with. */
  span: Span;
  differences: WordDifference[];
  /** Fraction of the quote's words found in order in the span, and of the span's words found in the quote. */
  quoteShare: number;
  sourceShare: number;
}

/**
 * Share of words both sides must keep for `close`: a 10-word quote may change two words, a 5-word quote one.
 * Below it a near miss reads as a paraphrase.
 */
export const CLOSE_SHARE = 0.8;
/** Longer inputs are compared on their first this-many words (the comparison is quadratic). */
const MAX_COMPARED_WORDS = 1200;

/**
 * Line the quote's words up with the stretch of `passage` they fit best (word-level edit distance, the
 * passage's words before and after that stretch free), after the same normalisation as `findExact`. Says
 * which words differ and how much of each side matches; null when nothing lines up.
 */
export function compareWords(quote: string, passage: string): WordComparison | null {
  const q = wordTokens(quoteKey(quote))
    .slice(0, MAX_COMPARED_WORDS)
    .map((w) => w.word);
  const pn = normalizeForMatch(passage);
  const w = wordTokens(pn.norm).slice(0, MAX_COMPARED_WORDS);
  const n = q.length;
  const m = w.length;
  if (n === 0 || m === 0) return null;
  // d[i][j]: fewest edits turning q[..i) into some run of w ending at j (runs may start anywhere: d[0][j] = 0).
  const cols = m + 1;
  const d = new Uint16Array((n + 1) * cols);
  for (let i = 1; i <= n; i++) {
    d[i * cols] = i;
    for (let j = 1; j <= m; j++) {
      const sub = (d[(i - 1) * cols + j - 1] as number) + (q[i - 1] === (w[j - 1] as WordToken).word ? 0 : 1);
      d[i * cols + j] = Math.min(sub, (d[(i - 1) * cols + j] as number) + 1, (d[i * cols + j - 1] as number) + 1);
    }
  }
  let end = 1;
  for (let j = 2; j <= m; j++) if ((d[n * cols + j] as number) < (d[n * cols + end] as number)) end = j;

  // Back from (n, end) to row 0: the alignment, as (quote word | null, source word | null) steps in reverse.
  const steps: [string | null, number | null][] = [];
  let i = n;
  let j = end;
  while (i > 0) {
    const here = d[i * cols + j] as number;
    if (j > 0 && here === (d[(i - 1) * cols + j - 1] as number) + (q[i - 1] === (w[j - 1] as WordToken).word ? 0 : 1)) {
      steps.push([q[i - 1] as string, j - 1]);
      i--;
      j--;
    } else if (here === (d[(i - 1) * cols + j] as number) + 1) {
      steps.push([q[i - 1] as string, null]);
      i--;
    } else {
      steps.push([null, j - 1]);
      j--;
    }
  }
  steps.reverse();
  const start = j;
  if (start >= end) return null;

  const differences: WordDifference[] = [];
  let qs: string[] = [];
  let ws: string[] = [];
  let matched = 0;
  const flush = () => {
    if (qs.length || ws.length) differences.push({ quote: qs.join(' '), source: ws.join(' ') });
    qs = [];
    ws = [];
  };
  for (const [qw, wi] of steps) {
    const sw = wi === null ? null : (w[wi] as WordToken).word;
    if (qw !== null && qw === sw) {
      matched++;
      flush();
      continue;
    }
    if (qw !== null) qs.push(qw);
    if (sw !== null) ws.push(sw);
  }
  flush();
  if (matched === 0) return null;
  return {
    span: toOriginalSpan(pn, (w[start] as WordToken).ns, (w[end - 1] as WordToken).ne),
    differences,
    quoteShare: matched / n,
    sourceShare: matched / (end - start),
  };
}

/** A comparison that makes a quote `close`: both sides keep at least CLOSE_SHARE of their words. */
export function isClose(c: WordComparison | null): c is WordComparison {
  return c !== null && c.quoteShare >= CLOSE_SHARE && c.sourceShare >= CLOSE_SHARE;
}
