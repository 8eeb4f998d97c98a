import { trimmedRange } from './lines.js';

/**
 * The one sentence splitter: the chunker cuts over-budget prose and carries whole sentences into the next chunk
 * with it, cite widens a quote to its sentences, and the draft tools probe and compare a draft by sentence. One
 * rule for all of them, so a sentence a draft repeats is the same stretch the index and a citation see.
 */

/** Words whose period does not end a sentence ("e.g. PPO", "Dr. Smith"), lower case, without the period. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'al',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'fig',
  'eq',
  'sec',
  'no',
  'st',
  'cf',
  'approx',
]);

/**
 * Sentence ranges (trimmed) of `source[start, end)`. A sentence ends at `.`, `!`, `?` or `…` (with closing
 * quotes, brackets and emphasis) before whitespace, or at a blank line; a single line break is a hard wrap,
 * not an end. Punctuation followed by a lower-case word does not end a sentence (an elision "a trick... but
 * not", "etc. and"), nor does the period of an abbreviation or of initials ("e.g.", "Dr.", "J. Smith", "U.S.").
 */
export function sentenceRanges(source: string, start = 0, end = source.length): [number, number][] {
  const out: [number, number][] = [];
  const push = (a: number, b: number) => {
    const r = trimmedRange(source, a, b);
    if (r) out.push(r);
  };
  // Match on a slice: a regex over `source` could run far past `end` looking for punctuation.
  const text = source.slice(start, end);
  const re = /[.!?…]+["'”’)\]*_]*(?=\s)|(?:\r\n|\r|\n)[ \t\u00a0]*(?:\r\n|\r|\n)/g;
  let cur = start;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = start + m.index;
    const isBreak = m[0].startsWith('\n') || m[0].startsWith('\r');
    const boundary = isBreak ? at : at + m[0].length;
    if (!isBreak && continues(text, m.index + m[0].length, source, cur, at, m[0])) continue;
    push(cur, boundary);
    cur = boundary;
  }
  push(cur, end);
  return out;
}

/** The punctuation `mark` at `source[at]` does not end the sentence that began at `from`. */
function continues(text: string, after: number, source: string, from: number, at: number, mark: string): boolean {
  const next = /\s*(\S)/uy;
  next.lastIndex = after;
  if (/^\p{Ll}$/u.test(next.exec(text)?.[1] ?? '')) return true;
  return mark.startsWith('.') && !mark.startsWith('..') && isAbbreviation(source, from, at);
}

function isAbbreviation(source: string, from: number, dot: number): boolean {
  let i = dot;
  while (i > from && /[\p{L}.]/u.test(source[i - 1] ?? '')) i--;
  const word = source.slice(i, dot);
  // An initial ("J. Smith") or letters with periods between them ("U.S.", "e.g.", "a.m.").
  if (/^\p{Lu}$|^(?:\p{L}\.)+\p{L}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}
