import type { Reranker } from '../embed/reranker.js';

/** Passages the reranker sees: it is slow per passage, and fusion already put the good ones near the top. */
export const RERANK_DEPTH = 50;

/** Re-order the head of a fused list by reranker score; the tail keeps its order below it. */
export async function rerankHits<T extends { text: string; score: number }>(
  reranker: Reranker,
  query: string,
  hits: T[],
  depth = RERANK_DEPTH,
): Promise<T[]> {
  const head = hits.slice(0, depth);
  if (head.length < 2) return hits;
  const scores = await reranker.score(
    query,
    head.map((h) => h.text),
  );
  const reranked = head
    .map((hit, i) => ({ hit: { ...hit, score: scores[i] ?? Number.NEGATIVE_INFINITY }, i }))
    .sort((a, b) => b.hit.score - a.hit.score || a.i - b.i)
    .map((x) => x.hit);
  return [...reranked, ...hits.slice(depth)];
}
