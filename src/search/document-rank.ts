/**
 * Documents ranked on all their passages, not only the best one. A post about a topic has many passages that
 * match it; an interview with one passing mention, or a year-in-review post listing a title, has one. So a
 * document's score is its best passage's plus a decaying share of its next ones, times whatever the request's
 * cues say about it (a kind, a year); the passage list is then ordered document by document, so that anything
 * ranking documents by their first passage — `ask`, grouped views, a reader skimming — sees this order.
 */
import { collapseNearDuplicates, type DedupeHit } from './dedupe.js';

export interface RankedPassage {
  docId: string;
  score: number;
}

export interface DocumentRankOptions {
  /** Weight of a document's 2nd passage relative to its best; the 3rd gets support², and so on. */
  support: number;
  /** How many further passages count (beyond the best). */
  depth: number;
  /** Passages of one document placed together before the next document's first (the rest follow at the end). */
  lead: number;
  /** A further passage is placed with its document's lead only if it scores at least this share of the best. */
  leadFloor: number;
}

export const DOCUMENT_RANK_DEFAULTS: DocumentRankOptions = { support: 0.3, depth: 2, lead: 4, leadFloor: 0.5 };

export interface DocumentScore<T> {
  docId: string;
  score: number;
  /** The document's passages, best first. */
  hits: T[];
}

/**
 * Documents by aggregated score, best first. `factor(docId, best)` scales a document's score (1 = no cue
 * applies). Ties keep the order of the documents' best passages.
 */
export function scoreDocuments<T extends RankedPassage>(
  hits: readonly T[],
  opts: DocumentRankOptions,
  factor: (best: T) => number = () => 1,
): DocumentScore<T>[] {
  // Scores are taken relative to the weakest candidate: fused z-scores and cosines can be negative.
  const floor = hits.reduce((m, h) => Math.min(m, h.score), Infinity);
  const byDoc = new Map<string, T[]>();
  for (const h of hits) {
    const list = byDoc.get(h.docId);
    if (list) list.push(h);
    else byDoc.set(h.docId, [h]);
  }
  const docs = [...byDoc].map(([docId, list], order) => {
    list.sort((a, b) => b.score - a.score);
    let score = 0;
    let w = 1;
    for (let i = 0; i <= opts.depth && i < list.length; i++) {
      score += w * ((list[i] as T).score - floor);
      w *= opts.support;
    }
    return { docId, score: score * factor(list[0] as T), hits: list, order };
  });
  docs.sort((a, b) => b.score - a.score || a.order - b.order);
  return docs.map(({ docId, score, hits: h }) => ({ docId, score, hits: h }));
}

/**
 * The passages in document order: each document's best passage (plus up to `lead − 1` close seconds) in the
 * order of `docs`, then every remaining passage by its own score.
 */
export function orderByDocument<T extends RankedPassage>(docs: readonly DocumentScore<T>[], opts: DocumentRankOptions): T[] {
  const head: T[] = [];
  const tail: T[] = [];
  for (const d of docs) {
    const best = d.hits[0];
    if (!best) continue;
    d.hits.forEach((h, i) => {
      if (i < opts.lead && h.score >= best.score * opts.leadFloor) head.push(h);
      else tail.push(h);
    });
  }
  tail.sort((a, b) => b.score - a.score);
  return [...head, ...tail];
}

/**
 * What a search returns: the passages in document order, de-duplicated last and only as far as `k` (the costly step;
 * ranking documents on the raw pool keeps p95 low). maxOverlap 0: one list never shows two overlapping passages of a
 * document — over the spans `spanOf` says a hit is listed at (a chunk's enclosing passage), near-duplicates judged on
 * the hits' own text. A single search and a fused multi-phrasing search both end here, so both list alike.
 */
export function listByDocument<T extends RankedPassage & DedupeHit>(
  docs: readonly DocumentScore<T>[],
  opts: DocumentRankOptions,
  k: number,
  spanOf: (hit: T) => { start: number; end: number } = (hit) => hit,
): T[] {
  const listed = orderByDocument(docs, opts).map((hit) => ({ hit, docId: hit.docId, text: hit.text, ...spanOf(hit) }));
  return collapseNearDuplicates(listed, { maxOverlap: 0, limit: k }).map((l) => l.hit);
}
