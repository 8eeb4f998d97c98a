/**
 * Fusion of ranked lists (e.g. BM25 and vector search). Inputs are best first and higher score =
 * better (negate distances before passing them in). Outputs are sorted best first; ties break by
 * best rank in any list, then id, so results are deterministic.
 */

export interface Scored {
  id: string;
  score: number;
}

export interface RrfOptions {
  /** Rank offset; larger k flattens the advantage of top ranks. Default 60 (Cormack et al. 2009). */
  k?: number;
  /** Per-list weights, default 1 each. */
  weights?: number[];
}

export type Normalisation = 'minmax' | 'zscore';

function checkWeights(lists: Scored[][], weights: number[] | undefined): number[] {
  if (weights === undefined) return lists.map(() => 1);
  if (weights.length !== lists.length) {
    throw new RangeError(`fusion: ${weights.length} weights for ${lists.length} lists`);
  }
  return weights;
}

function sortFused(total: Map<string, number>, bestRank: Map<string, number>): Scored[] {
  return [...total]
    .map(([id, score]) => ({ id, score }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        (bestRank.get(a.id) ?? Infinity) - (bestRank.get(b.id) ?? Infinity) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/**
 * Reciprocal rank fusion: score(id) = Σ_lists weight / (k + rank), rank 1-based. Only ranks
 * matter, so lists with incomparable score scales fuse safely. A repeated id counts at its best rank.
 */
export function rrf(lists: Scored[][], opts: RrfOptions = {}): Scored[] {
  const k = opts.k ?? 60;
  const weights = checkWeights(lists, opts.weights);
  const total = new Map<string, number>();
  const bestRank = new Map<string, number>();
  lists.forEach((list, li) => {
    const w = weights[li] ?? 1;
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) return;
      seen.add(item.id);
      const rank = i + 1;
      total.set(item.id, (total.get(item.id) ?? 0) + w / (k + rank));
      bestRank.set(item.id, Math.min(bestRank.get(item.id) ?? Infinity, rank));
    });
  });
  return sortFused(total, bestRank);
}

/**
 * Scores of one list mapped to a common scale, first occurrence of an id wins.
 * - minmax: (s − min) / (max − min) ∈ [0, 1]; all-equal scores → 1 (every item equally good).
 * - zscore: (s − mean) / std (population); zero spread → 0.
 */
function normalise(list: Scored[], how: Normalisation): { values: Map<string, number>; floor: number } {
  const values = new Map<string, number>();
  const unique = list.filter((item) => {
    if (values.has(item.id)) return false;
    values.set(item.id, item.score);
    return true;
  });
  if (unique.length === 0) return { values, floor: 0 };
  const scores = unique.map((u) => u.score);
  let f: (s: number) => number;
  if (how === 'minmax') {
    const min = scores.reduce((a, b) => Math.min(a, b), Infinity);
    const max = scores.reduce((a, b) => Math.max(a, b), -Infinity);
    f = max > min ? (s) => (s - min) / (max - min) : () => 1;
  } else {
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
    f = std > 0 ? (s) => (s - mean) / std : () => 0;
  }
  let floor = Infinity;
  for (const [id, s] of values) {
    const v = f(s);
    values.set(id, v);
    floor = Math.min(floor, v);
  }
  return { values, floor };
}

/**
 * Convex combination of normalised scores: score(id) = Σ weight_l · norm_l(id).
 * An id missing from a list gets that list's minimum normalised value (0 for minmax; the lowest z
 * for zscore) — "no worse than the worst retrieved", since the list was truncated, not a zero
 * score; an empty list contributes 0 to everyone. Weights need not sum to 1.
 */
export function convexFusion(lists: Scored[][], weights: number[], normalisation: Normalisation): Scored[] {
  checkWeights(lists, weights);
  const normed = lists.map((l) => normalise(l, normalisation));
  const ids = new Set<string>();
  const bestRank = new Map<string, number>();
  for (const list of lists) {
    list.forEach((item, i) => {
      ids.add(item.id);
      bestRank.set(item.id, Math.min(bestRank.get(item.id) ?? Infinity, i + 1));
    });
  }
  const total = new Map<string, number>();
  for (const id of ids) {
    let s = 0;
    normed.forEach((n, li) => {
      s += (weights[li] ?? 0) * (n.values.get(id) ?? n.floor);
    });
    total.set(id, s);
  }
  return sortFused(total, bestRank);
}
