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
