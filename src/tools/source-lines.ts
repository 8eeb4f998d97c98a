import { lineAt, lineStarts } from '../ingest/lines.js';
import type { DocumentSource } from '../index/document-source.js';

/** Offsets [start, end) of file lines lineStart..lineEnd (1-based, inclusive) within a document source. */
export function lineRangeOffsets(src: DocumentSource, lineStart: number, lineEnd: number): { start: number; end: number } {
  if (!src.linesMapToFile) return { start: 0, end: src.text.length };
  const starts = lineStarts(src.text);
  const first = Math.max(1, lineStart - src.lineBase + 1);
  const last = Math.min(starts.length, lineEnd - src.lineBase + 1);
  const start = starts[first - 1] ?? src.text.length;
  const next = starts[last];
  // Exclude the newline that ends the last line.
  const end = next === undefined ? src.text.length : next - 1;
  return { start, end: Math.max(start, end) };
}

/** 1-based file lines covering [start, end) of the source. */
export function offsetsToLines(src: DocumentSource, start: number, end: number): { lineStart: number; lineEnd: number } {
  if (!src.linesMapToFile) return { lineStart: src.lineBase, lineEnd: src.lineBase };
  const starts = lineStarts(src.text);
  return {
    lineStart: lineAt(starts, start) + src.lineBase - 1,
    lineEnd: lineAt(starts, Math.max(start, end - 1)) + src.lineBase - 1,
  };
}

export function lineCount(src: DocumentSource): number {
  return src.linesMapToFile ? lineStarts(src.text).length : 1;
}
