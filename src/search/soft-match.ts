/**
 * Soft word matching of the fused candidate pool: each candidate scores the share of the request's words it has
 * or has a close neighbour of in the word vectors (src/embed/wordvec), rare words counting most, and that score
 * joins the fused lists as one more list. Unlike query expansion it adds no candidates and no terms to BM25: it
 * only reorders passages the other lists found, so a passage that says the request in other words rises.
 */
import type { Ranked } from '../index/chunk-search.js';
import { fuseRankings } from './hybrid-fusion.js';

/** Weight of the soft-match list, BM25's being 1: tune half 0.15 · 0.3 · 0.5 → hit@5 +1 · +2 · +1 questions, but SciFact nDCG@10 0.6918 → 0.6904 · 0.6865 (bm25 0.6901), so 0.15 (BENCHMARKS.md). */
export const SOFT_MATCH_WEIGHT = 0.15;

/** Candidates of the fused pool scored (the rest count as matching nothing): tune half 50 / 100 / all → hit@5 equal, MRR@10 0.51 / 0.50 / 0.49, half the cost of 100. */
export const SOFT_MATCH_DEPTH = 50;

/** The fused pool reordered with its best candidates' soft-match scores as one more convex-fused list. */
export function softMatchFused(
  pool: readonly Ranked[],
  score: (text: string) => number,
  weight: number,
  depth = SOFT_MATCH_DEPTH,
): Ranked[] {
  const soft = pool
    .slice(0, depth)
    .map((r) => ({ row: r.row, score: score(r.row.text) }))
    .sort((a, b) => b.score - a.score);
  return fuseRankings(
    [
      { ranked: [...pool], weight: 1 },
      { ranked: soft, weight },
    ],
    'convex',
    'minmax',
  );
}
