import { MatchQuery } from '@lancedb/lancedb';
import { UsageError } from '../core/errors.js';
import type { Embedder } from '../embed/embedder.js';
import { decodeTags } from '../index/rows.js';
import type { ChunkRow } from '../index/schema.js';
import type { IndexStore } from '../index/store.js';
import { collapseNearDuplicates } from './dedupe.js';
import { filterToSql, pathMatcher } from './filters.js';
import { queryTopic } from './query-intent.js';
import { rerankHits, type Reranker } from './rerank.js';
import { fuseRankings, type FusionMethod } from './hybrid-fusion.js';
import type { SearchHit, SearchMode, SearchRequest } from './types.js';

/** Columns read back for hits (never the vector or the FTS copy of the text). */
const HIT_COLUMNS = [
  'id',
  'doc_id',
  'chunk_index',
  'rel_path',
  'title',
  'date',
  'url',
  'type',
  'tags',
  'section',
  'speaker',
  'timestamp',
  'start',
  'end',
  'line_start',
  'line_end',
  'text',
];

/** How many times k candidates an IVF-PQ search re-ranks on full vectors (see Retriever.vector). */
export const ANN_REFINE_FACTOR = 50;

type HitRow = Omit<ChunkRow, 'fts_text' | 'vector'> & { _score?: number; _distance?: number };

export interface Ranked {
  row: HitRow;
  score: number;
}

/** Turn a free-text query into words the full-text parser won't read as syntax. */
export function ftsQueryText(query: string): string {
  return query.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

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

  async bm25(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    const text = ftsQueryText(query);
    if (!text) return [];
    let q = this.store.chunks.search(new MatchQuery(text, 'fts_text'), 'fts').select([...HIT_COLUMNS, '_score']).limit(limit);
    if (where) q = q.where(where);
    const rows = (await q.toArray()) as HitRow[];
    return rows.map((row) => ({ row, score: row._score ?? 0 }));
  }

  async vector(query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
    if (!this.embedder) return [];
    const vec = await this.embedder.embedQuery(query);
    // With an IVF-PQ index (≥ ANN_INDEX_MIN_ROWS chunks) the compressed distances alone find few true
    // neighbours; re-ranking 50× the candidates on full vectors brings recall@10 to ~0.99 for a few ms
    // (BENCHMARKS.md, scale). Without an index the search is exact and this changes nothing.
    let q = this.store.chunks
      .query()
      .nearestTo(Array.from(vec))
      .distanceType('cosine')
      .refineFactor(ANN_REFINE_FACTOR)
      .select([...HIT_COLUMNS, '_distance'])
      .limit(limit);
    if (where) q = q.where(where);
    const rows = (await q.toArray()) as HitRow[];
    return rows.map((row) => ({ row, score: 1 - (row._distance ?? 1) }));
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
    const ranked =
      mode === 'hybrid'
        ? fuseRankings(lexical, dense, this.denseWeight, this.fusion)
        : mode === 'bm25'
          ? lexical
          : dense;
    const hits = ranked.filter((r) => !keepPath || keepPath(r.row.rel_path)).map((r) => rowToHit(r.row, r.score));
    const ordered = this.reranker ? await rerankHits(this.reranker, query, hits) : hits;
    return collapseNearDuplicates(ordered, { limit: req.k });
  }
}
