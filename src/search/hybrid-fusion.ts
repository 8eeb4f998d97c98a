import { convexFusion, rrf, type Normalisation } from './fusion.js';
import type { Ranked } from '../index/chunk-search.js';

export type FusionMethod = 'convex' | 'rrf';

/**
 * Fuse BM25 and vector lists. The dense list's weight comes from the model registry (how far its rankings
 * can be trusted); BM25 keeps weight 1. Convex fusion of min-max scores is the default: unlike RRF it keeps
 * BM25's score gaps, so a weak model only reorders near-ties and adds candidates BM25 missed (measured on
 * SciFact, see BENCHMARKS.md).
 */
export function fuseRankings(
  lexical: Ranked[],
  dense: Ranked[],
  denseWeight: number,
  method: FusionMethod = 'convex',
  normalisation: Normalisation = 'minmax',
): Ranked[] {
  if (dense.length === 0 || denseWeight <= 0) return lexical.length ? lexical : dense;
  if (lexical.length === 0) return dense;
  const rows = new Map<string, Ranked['row']>();
  for (const r of [...lexical, ...dense]) rows.set(r.row.id, r.row);
  const lists = [lexical, dense].map((l) => l.map((r) => ({ id: r.row.id, score: r.score })));
  const fused = method === 'rrf' ? rrf(lists, { weights: [1, denseWeight] }) : convexFusion(lists, [1, denseWeight], normalisation);
  return fused.map((f) => ({ row: rows.get(f.id)!, score: f.score }));
}
