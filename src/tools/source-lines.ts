import { UsageError } from '../core/errors.js';
import { lineAt, lineStarts } from '../text/lines.js';
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

export interface LineSlice {
  lineStart: number;
  lineEnd: number;
  text: string;
  /** Cut at maxChars (at a line boundary where possible); lineEnd is then the last line included. */
  truncated: boolean;
  /** Last line of the document. */
  lastLine: number;
}

/**
 * File lines lineStart..lineEnd of a document (clamped to its end), at most `maxChars` of them, cut at a line
 * boundary so a caller can continue exactly where this slice ended. Out-of-range starts are a UsageError.
 */
export function sliceLines(src: DocumentSource, docId: string, lineStart: number, lineEnd: number, maxChars: number): LineSlice {
  const first = src.lineBase;
  const lastLine = first + lineCount(src) - 1;
  if (lineStart < first || lineStart > lastLine) {
    // Named by its id, as the caller wrote it: the path within the root matched no id the commands take.
    throw new UsageError(`${docId} has lines ${first}-${lastLine}; line ${lineStart} is outside it`);
  }
  if (lineEnd < lineStart) throw new UsageError('lineEnd must not be before lineStart');
  let last = Math.min(lineEnd, lastLine);
  const range = lineRangeOffsets(src, lineStart, last);
  const start = range.start;
  let end = range.end;
  let truncated = false;
  if (end - start > maxChars) {
    truncated = true;
    const cut = src.text.lastIndexOf('\n', start + maxChars);
    if (cut > start && src.linesMapToFile) {
      end = cut;
      // The line the cut newline ends is the slice's last (it may be empty: the text then ends with '\n').
      last = offsetsToLines(src, start, end + 1).lineEnd;
    } else {
      // One line longer than maxChars: its start only, and the next call continues with the next line.
      end = start + maxChars;
      last = offsetsToLines(src, start, end).lineEnd;
    }
  }
  return { lineStart, lineEnd: last, text: src.text.slice(start, end), truncated, lastLine };
}
