import { UsageError } from '../core/errors.js';
import type { Embedder } from '../embed/embedder.js';
import { decodeTags } from '../index/rows.js';
import { fullTextSearch, vectorSearch, type HitRow, type Ranked } from '../index/chunk-search.js';
import type { IndexStore } from '../index/store.js';
import { collapseNearDuplicates } from './dedupe.js';
import { filterToSql, pathMatcher } from './filters.js';
import { queryTopic } from './query-intent.js';
import type { Reranker } from '../embed/reranker.js';
import { rerankHits } from './rerank.js';
import { fuseRankings, type FusionMethod } from './hybrid-fusion.js';
import type { SearchHit, SearchMode, SearchRequest } from './types.js';

export function rowToHit(row: HitRow, score: number): SearchHit {
  return {
    docId: row.doc_id,
    title: row.title ?? null,
    date: row.date ?? null,
    url: row.url ?? null,
    type: row.type,
    section: row.section ?? null,
    speaker: row.speaker ?? null,
    timestamp: row.timestamp ?? null,
    lineStart: row.line_start,
    lineEnd: row.line_end,
    score,
    text: row.text,
    relPath: row.rel_path,
    tags: decodeTags(row.tags),
    chunkIndex: row.chunk_index,
    start: row.start,
    end: row.end,
  };
}

/** Hybrid retrieval over one index: BM25 and vector lists, fused, filtered, de-duplicated. */
export class Retriever {
  /** How hybrid mode fuses its lists; benchmarks compare the alternatives in one run. */
  fusion: FusionMethod = 'convex';
  /** Trust in the vector list relative to BM25 (from the model registry). */
  denseWeight: number;
  /** Optional second stage (a cross-encoder); off unless configured. */
  reranker: Reranker | null = null;

  constructor(
    readonly store: IndexStore,
    readonly embedder: Embedder | null,
  ) {
    this.denseWeight = embedder?.settings.denseWeight ?? 0;
  }

  /** The mode actually used: without vectors every mode falls back to BM25. */
  effectiveMode(mode: SearchMode | undefined): SearchMode {
    const wanted = mode ?? 'hybrid';
    return this.embedder && this.store.hasVectors ? wanted : 'bm25';
  }

  bm25(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    return fullTextSearch(this.store, query, where, limit);
  }

  async vector(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    if (!this.embedder) return [];
    return vectorSearch(this.store, await this.embedder.embedQuery(query), where, limit);
  }

  /** Ranked, de-duplicated passages (flat: several may come from one document). */
  async search(req: SearchRequest): Promise<SearchHit[]> {
    if (!req.query.trim()) throw new UsageError('the query is empty — say what to look for');
    const query = queryTopic(req.query);
    if (!Number.isInteger(req.k) || req.k < 1) throw new UsageError('k must be a whole number ≥ 1');
    const mode = this.effectiveMode(req.mode);
    const where = filterToSql(req.filters);
    const keepPath = pathMatcher(req.filters);
    // Wider pools: fusion needs depth, and the path glob and de-duplication remove some candidates.
    const pool = Math.max(req.k * 2, 50) * (keepPath ? 10 : 1);
    const [lexical, dense] = await Promise.all([
      mode === 'vector' ? Promise.resolve([]) : this.bm25(query, where, pool),
      mode === 'bm25' ? Promise.resolve([]) : this.vector(query, where, pool),
    ]);
    const ranked = mode === 'hybrid' ? fuseRankings(lexical, dense, this.denseWeight, this.fusion) : mode === 'bm25' ? lexical : dense;
    const hits = ranked.filter((r) => !keepPath || keepPath(r.row.rel_path)).map((r) => rowToHit(r.row, r.score));
    const ordered = this.reranker ? await rerankHits(this.reranker, query, hits) : hits;
    return collapseNearDuplicates(ordered, { limit: req.k });
  }
}
