/** A passage as a result list shows it: a document and the file lines it cites. */
interface LinedPassage {
  docId: string;
  lineStart: number;
  lineEnd: number;
}

/**
 * `passages` (best first) without any that shares a line with a better one of the same document. Search drops
 * chunks that overlap by more than half; two neighbouring chunks of one long paragraph still cite the same
 * line, and a reader sees the same words twice. Order is kept.
 */
export function withoutSharedLines<T extends LinedPassage>(passages: readonly T[]): T[] {
  const kept: T[] = [];
  for (const p of passages) {
    if (!kept.some((k) => k.docId === p.docId && k.lineStart <= p.lineEnd && p.lineStart <= k.lineEnd)) kept.push(p);
  }
  return kept;
}
