/**
 * IR metrics for retrieval evals. Graded relevance follows the BEIR / pytrec_eval (trec_eval)
 * convention: gain = rel, discount = log2(rank + 1) with 1-based rank, ideal DCG from the judged
 * rels sorted descending. Unjudged ids count as rel 0; a repeated id in a ranking only counts once.
 */

function firstOccurrences(ranked: string[], k: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ranked) {
    if (out.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** Negative judgements (some qrels use -1 for "harmful") give no gain, as in trec_eval. */
function gain(rels: Map<string, number>, id: string): number {
  return Math.max(0, rels.get(id) ?? 0);
}

/** nDCG@k in [0, 1]; 0 when nothing is relevant (no ideal ranking to compare with). */
export function ndcgAtK(ranked: string[], rels: Map<string, number>, k: number): number {
  const top = firstOccurrences(ranked, k);
  let dcg = 0;
  top.forEach((id, i) => {
    dcg += gain(rels, id) / Math.log2(i + 2);
  });
  const ideal = [...rels.values()]
    .map((r) => Math.max(0, r))
    .filter((r) => r > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  let idcg = 0;
  ideal.forEach((r, i) => {
    idcg += r / Math.log2(i + 2);
  });
  return idcg > 0 ? dcg / idcg : 0;
}

/** Share of relevant ids (rel > 0) found in the top k; 0 when nothing is relevant. */
export function recallAtK(ranked: string[], rels: Map<string, number>, k: number): number {
  let relevant = 0;
  for (const r of rels.values()) if (r > 0) relevant++;
  if (relevant === 0) return 0;
  const found = firstOccurrences(ranked, k).filter((id) => gain(rels, id) > 0).length;
  return found / relevant;
}

/** Reciprocal rank of the first relevant id within the top k, else 0. */
export function mrrAtK(ranked: string[], rels: Map<string, number>, k: number): number {
  const top = firstOccurrences(ranked, k);
  const i = top.findIndex((id) => gain(rels, id) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/**
 * p-th percentile (p in [0, 100]) with linear interpolation between closest ranks (numpy's
 * default), e.g. p50 of [1, 2, 3, 4] is 2.5. NaN for no values.
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
