/**
 * One search need asked in several phrasings (an LLM's reformulations and a hypothetical answer
 * passage, or a caller's own alternatives): each phrasing is searched on its own and the ranked
 * passage lists are fused by rank, so a passage found by only one phrasing can still surface.
 */
import { DOCUMENT_RANK_DEFAULTS, listByDocument, scoreDocuments } from './document-rank.js';
import { rrf, type Scored } from './fusion.js';
import type { SearchHit, SearchRequest } from './types.js';

/** Phrasings beyond the request's own query that one search takes at most. */
export const MAX_ALTERNATIVE_QUERIES = 5;

/** Each phrasing's list is this deep, so that fusion has depth to work with beyond the top k. */
const MIN_LIST_DEPTH = 30;

export interface PassageSearcher {
  search(req: SearchRequest): Promise<SearchHit[]>;
}

/**
 * Search `req.query` and each alternative with the same mode and filters, then fuse the lists by
 * reciprocal rank (scores of different phrasings are not comparable; ranks are), every list weighing
 * the same, as in RAG-Fusion: a passage several phrasings find rises, and one only a reformulation
 * finds ranks with the query's own top passages. (Per-list weights were not tuned: only a scripted
 * LLM runs here, so there is nothing to measure them on.) Without alternatives this is exactly
 * `searcher.search(req)`. A hit's `score` becomes its fused score; passages are then ordered by document as
 * a single search orders them (the request's cues already shaped each list).
 */
export async function searchPhrasings(
  searcher: PassageSearcher,
  req: SearchRequest,
  alternatives: readonly string[],
): Promise<SearchHit[]> {
  const original = req.query.trim().toLowerCase();
  const others = [...new Set(alternatives.map((q) => q.trim()).filter((q) => q !== '' && q.toLowerCase() !== original))].slice(
    0,
    MAX_ALTERNATIVE_QUERIES,
  );
  if (others.length === 0) return searcher.search(req);
  const depth = Math.min(Math.max(req.k, MIN_LIST_DEPTH), 200);
  const lists = await Promise.all([req.query, ...others].map((query) => searcher.search({ ...req, query, k: depth })));
  const byId = new Map<string, SearchHit>();
  const ranked: Scored[][] = lists.map((hits) =>
    hits.map((h, i) => {
      const id = passageId(h);
      if (!byId.has(id)) byId.set(id, h);
      return { id, score: -i };
    }),
  );
  const fused = rrf(ranked);
  const hits = fused.map((f) => ({ ...(byId.get(f.id) as SearchHit), score: f.score }));
  // Ranked and de-duplicated exactly like a single search (two phrasings can find overlapping chunks of a
  // document; each list is free of overlaps only on its own), so grouped views and `ask` read the fused ranking alike.
  return listByDocument(scoreDocuments(hits, DOCUMENT_RANK_DEFAULTS), req.k, (h) => h);
}

function passageId(h: Pick<SearchHit, 'docId' | 'chunkIndex'>): string {
  return `${h.docId}\u0000${h.chunkIndex}`;
}
