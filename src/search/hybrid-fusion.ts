import { convexFusion, rrf, type Normalisation } from './fusion.js';
import type { Ranked } from '../index/chunk-search.js';

export type FusionMethod = 'convex' | 'rrf';

/** One first-stage list and how far it is trusted relative to BM25's 1. */
export interface WeightedList {
  ranked: Ranked[];
  weight: number;
}

/**
 * Fuse first-stage lists: BM25 (weight 1), the vector list (its weight from the model registry: how far its
 * rankings can be trusted), and whatever else the retriever adds (character n-grams). Convex fusion of min-max
 * scores is the default: unlike RRF it keeps BM25's score gaps, so a weak list only reorders near-ties and adds
 * candidates BM25 missed (measured on SciFact, see BENCHMARKS.md). Empty or unweighted lists drop out; a single
 * remaining list is returned as it is.
 */
export function fuseRankings(
  lists: readonly WeightedList[],
  method: FusionMethod = 'convex',
  normalisation: Normalisation = 'minmax',
): Ranked[] {
  const used = lists.filter((l) => l.ranked.length > 0 && l.weight > 0);
  if (used.length === 0) return lists.find((l) => l.ranked.length > 0)?.ranked ?? [];
  if (used.length === 1) return (used[0] as WeightedList).ranked;
  const rows = new Map<string, Ranked['row']>();
  const scored = used.map((l) =>
    l.ranked.map((r) => {
      const id = r.row.id;
      rows.set(id, r.row);
      return { id, score: r.score };
    }),
  );
  const weights = used.map((l) => l.weight);
  const fused = method === 'rrf' ? rrf(scored, { weights }) : convexFusion(scored, weights, normalisation);
  return fused.map((f) => ({ row: rows.get(f.id)!, score: f.score }));
}
