/**
 * Documents ranked on all their passages, not only the best one. A post about a topic has many passages that
 * match it; an interview with one passing mention, or a year-in-review post listing a title, has one. So a
 * document's score is its best passage's plus a decaying share of its next ones, times whatever the request's
 * cues say about it (a kind, a year); the passage list is then ordered document by document, so that anything
 * ranking documents by their first passage — `ask`, grouped views, a reader skimming — sees this order.
 */
import { collapseNearDuplicates } from './dedupe.js';

export interface RankedPassage {
  docId: string;
  score: number;
}

export interface DocumentRankOptions {
  /** Weight of a document's 2nd passage relative to its best; the 3rd gets support², and so on. */
  support: number;
  /** How many further passages count (beyond the best). */
  depth: number;
}

export const DOCUMENT_RANK_DEFAULTS: DocumentRankOptions = { support: 0.3, depth: 2 };

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
 * The passages in document order, each at its own strength: documents enter the list in the order of `docs` (at
 * their best passage), and a further passage of a document is listed before the next document's best when it is
 * at least as strong — its share of its own document's best passage times its document's score, against the next
 * document's score. So a document far ahead of the next shows its close seconds first, while documents that score
 * alike are each shown once before any second passage: the answering line is more often among the first few
 * passages (BENCHMARKS.md, passage order). Anything ranking documents by their first passage sees `docs`' order.
 */
export function orderByDocument<T extends RankedPassage>(docs: readonly DocumentScore<T>[]): T[] {
  // Relative to the weakest candidate, as in scoreDocuments: fused z-scores and cosines can be negative.
  const floor = docs.reduce((m, d) => d.hits.reduce((n, h) => Math.min(n, h.score), m), Infinity);
  const listed: T[] = [];
  // Further passages of the documents listed so far, strongest first.
  const waiting: { hit: T; strength: number }[] = [];
  let next = 0;
  for (const d of docs) {
    const [best, ...rest] = d.hits;
    if (!best) continue;
    while (next < waiting.length && (waiting[next] as { strength: number }).strength >= d.score)
      listed.push((waiting[next++] as { hit: T }).hit);
    listed.push(best);
    const span = best.score - floor;
    for (const hit of rest) {
      const strength = span > 0 ? (d.score * (hit.score - floor)) / span : d.score;
      // Binary search for its place among the passages still waiting (a sort per document costs ~2 ms a search).
      let lo = next;
      let hi = waiting.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((waiting[mid] as { strength: number }).strength >= strength) lo = mid + 1;
        else hi = mid;
      }
      waiting.splice(lo, 0, { hit, strength });
    }
  }
  for (let i = next; i < waiting.length; i++) listed.push((waiting[i] as { hit: T }).hit);
  return listed;
}

/** A listed passage with the score its document is ranked by (`DocumentScore.score`). */
export type ListedPassage<T> = T & { documentScore: number };

/**
 * What a search returns: the passages in document order, each with its document's score, de-duplicated last and only
 * as far as `k` (the costly step; ranking documents on the raw pool keeps p95 low). maxOverlap 0: one list never shows two overlapping passages of a
 * document — over the spans `listedAs` says a hit is listed at (a chunk's enclosing passage), near-duplicates judged on
 * the text it gives (the hit's own). It is asked only of the passages de-duplication reaches, not the whole pool.
 * A single search and a fused multi-phrasing search both end here, so both list alike.
 */
export function listByDocument<T extends RankedPassage>(
  docs: readonly DocumentScore<T>[],
  k: number,
  listedAs: (hit: T) => { text: string; start: number; end: number },
): ListedPassage<T>[] {
  function* listed() {
    for (const hit of orderByDocument(docs)) yield { hit, docId: hit.docId, ...listedAs(hit) };
  }
  const scoreOf = new Map(docs.map((d) => [d.docId, d.score]));
  return collapseNearDuplicates(listed(), { maxOverlap: 0, limit: k }).map((l) => ({
    ...l.hit,
    documentScore: scoreOf.get(l.hit.docId) ?? 0,
  }));
}
