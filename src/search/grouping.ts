import type { SearchHit } from './types.js';

export interface DocumentGroup {
  docId: string;
  /** Best passage score of the document. */
  score: number;
  hits: SearchHit[];
}

/** Group ranked passages by document, keeping rank order of documents (by their best passage) and of passages. */
export function groupByDocument(hits: readonly SearchHit[], perDoc: number): DocumentGroup[] {
  const groups = new Map<string, DocumentGroup>();
  for (const hit of hits) {
    let g = groups.get(hit.docId);
    if (!g) {
      g = { docId: hit.docId, score: hit.score, hits: [] };
      groups.set(hit.docId, g);
    }
    if (g.hits.length < perDoc) g.hits.push(hit);
  }
  return [...groups.values()];
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
