import type { Chunk, ChunkOptions, SourceSpan } from '../core/types.js';

/**
 * Small-to-big: a search matches and ranks the chunks (their size suits BM25 and the embedders, and keeps
 * documents ranked as measured), but shows each one inside the longer passage around it, so the line that
 * answers a question is more often among the passages listed. Measured on the archive's tune half (BENCHMARKS.md,
 * passage size): showing the enclosing 576-token passage of each 320-token chunk puts the answering line in the top
 * five passages for 3 more questions of 61 with the same documents found. Chunking at 576 tokens instead found about
 * as many lines but moved documents both ways and cost SciFact BM25 nDCG@10 0.690 → 0.681 (below the 0.69 floor).
 */
export const PASSAGE_TOKENS = 576;

/** The chunking that draws the passages: the chunks' own, with a budget of at least PASSAGE_TOKENS. */
export function passageChunking(chunking: ChunkOptions): ChunkOptions {
  return { maxTokens: Math.max(PASSAGE_TOKENS, chunking.maxTokens), overlapTokens: chunking.overlapTokens };
}

/**
 * Each chunk's `passage` becomes the one of `passages` (the same document chunked with `passageChunking`) that it
 * overlaps most, widened to the chunk where the two boundaries differ, so the passage always holds the whole chunk.
 * Both are cut from `source`, so the passage text is exact too.
 */
export function encloseInPassages(source: string, chunks: readonly Chunk[], passages: readonly Chunk[]): Chunk[] {
  let from = 0;
  return chunks.map((c) => {
    // Both lists run through the document in order: passages ending before this chunk never match a later one.
    while (from < passages.length && (passages[from] as Chunk).end <= c.start) from++;
    let best: Chunk | undefined;
    let bestOverlap = 0;
    for (let i = from; i < passages.length; i++) {
      const p = passages[i] as Chunk;
      if (p.start >= c.end) break;
      const overlap = Math.min(p.end, c.end) - Math.max(p.start, c.start);
      if (overlap > bestOverlap) {
        best = p;
        bestOverlap = overlap;
      }
    }
    if (!best) return c;
    const start = Math.min(best.start, c.start);
    const end = Math.max(best.end, c.end);
    const passage: SourceSpan = {
      text: source.slice(start, end),
      start,
      end,
      lineStart: Math.min(best.lineStart, c.lineStart),
      lineEnd: Math.max(best.lineEnd, c.lineEnd),
    };
    return { ...c, passage };
  });
}
