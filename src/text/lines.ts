import type { Block } from '../core/types.js';

/** Offsets of the first character of every line (`\n`-terminated; a `\r\n` line ends at its `\n`). */
export function lineStarts(source: string): number[] {
  const starts = [0];
  let i = source.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = source.indexOf('\n', i + 1);
  }
  return starts;
}

/** 1-based line containing `offset` (binary search over `lineStarts`). Offsets past the end map to the last line. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Blank-line separated paragraphs of `source[from, to)` as trimmed [start, end) ranges
 * (whitespace-only paragraphs are left out).
 */
export function paragraphRanges(source: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let paraStart = -1;
  let paraEnd = -1;
  let pos = from;
  while (pos < to) {
    const nl = source.indexOf('\n', pos);
    const lineEnd = nl === -1 || nl >= to ? to : nl;
    const first = firstNonSpace(source, pos, lineEnd);
    if (first === -1) {
      if (paraStart !== -1) out.push([paraStart, paraEnd]);
      paraStart = -1;
    } else {
      if (paraStart === -1) paraStart = first;
      paraEnd = lastNonSpace(source, first, lineEnd) + 1;
    }
    pos = lineEnd + 1;
  }
  if (paraStart !== -1) out.push([paraStart, paraEnd]);
  return out;
}

/** `[start, end)` without the white space at either end; null when nothing else is left. */
export function trimmedRange(source: string, start: number, end: number): [number, number] | null {
  const first = firstNonSpace(source, start, end);
  return first === -1 ? null : [first, lastNonSpace(source, first, end) + 1];
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10 || code === 0xa0 || code === 12 || code === 11 || code === 0xfeff;
}

function firstNonSpace(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!isBlank(s.charCodeAt(i))) return i;
  return -1;
}

function lastNonSpace(s: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (!isBlank(s.charCodeAt(i))) return i;
  return from - 1;
}

/** One `paragraph` block per blank-line-separated paragraph of [from, to). */
export function paragraphBlocks(source: string, from: number, to: number): Block[] {
  return paragraphRanges(source, from, to).map(([start, end]) => ({
    kind: 'paragraph' as const,
    start,
    end,
    headingPath: [],
    speaker: null,
    timestamp: null,
  }));
}
