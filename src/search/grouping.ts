import type { SearchHit } from './types.js';

export interface DocumentGroup {
  docId: string;
  /** Best passage score of the document. */
  score: number;
  /** The score the document is ranked by (`SearchHit.documentScore`): groups come in this order. */
  documentScore: number;
  hits: SearchHit[];
}

/**
 * Group ranked passages by document: documents in rank order (their documentScore; a search lists them so, but a
 * document whose best passage fell to de-duplication first appears at a later passage), passages in list order.
 */
export function groupByDocument(hits: readonly SearchHit[], perDoc: number): DocumentGroup[] {
  const groups = new Map<string, DocumentGroup>();
  for (const hit of hits) {
    let g = groups.get(hit.docId);
    if (!g) {
      g = { docId: hit.docId, score: hit.score, documentScore: hit.documentScore, hits: [] };
      groups.set(hit.docId, g);
    }
    if (g.hits.length < perDoc) g.hits.push(hit);
  }
  return [...groups.values()].sort((a, b) => b.documentScore - a.documentScore);
}

/**
 * A document is about the query when its best passage scores at least this share of the best document's. Measured
 * on the shared archive for "RLHF": every document above it contains the word, and most below it do not.
 */
export const RELEVANCE_FLOOR = 0.12;

/**
 * The groups that clear RELEVANCE_FLOOR, in their order: what an answer listing documents (ask, timeline) shows, so
 * that a tail of documents that never mention the topic is not presented as prior writing on it. Scores are taken
 * against a best of at least 0, so a pool whose scores are all negative keeps only its non-negative ones.
 */
export function aboveRelevanceFloor<T extends { score: number }>(groups: readonly T[]): T[] {
  const top = Math.max(0, ...groups.map((g) => g.score));
  return groups.filter((g) => g.score >= top * RELEVANCE_FLOOR);
}
