import { MatchQuery } from '@lancedb/lancedb';
import type { ChunkRow } from './schema.js';
import type { Snapshot } from './store.js';

/**
 * The two first-stage searches over the chunk table, built here so that only the index layer speaks
 * LanceDB's query language; search/ fuses, filters and ranks what they return.
 */

/**
 * Columns read back for hits (never the vector or the FTS copy of the text, nor the passage text: only the few
 * passages a search lists need it, read by `passageTexts`).
 */
const HIT_COLUMNS = [
  'id',
  'doc_id',
  'chunk_index',
  'rel_path',
  'title',
  'date',
  'url',
  'type',
  'source_type',
  'root',
  'tags',
  'section',
  'speaker',
  'timestamp',
  'speakers',
  'start',
  'end',
  'line_start',
  'line_end',
  'text',
  'passage_start',
  'passage_end',
  'passage_line_start',
  'passage_line_end',
];

/** How many times k candidates an IVF-PQ search re-ranks on full vectors (see vectorSearch). */
export const ANN_REFINE_FACTOR = 50;

export type HitRow = Omit<ChunkRow, 'fts_text' | 'vector' | 'passage_text'> & { _score?: number; _distance?: number; _rowid?: bigint };

/** A chunk with its first-stage score (BM25, or cosine similarity), higher is better. */
export interface Ranked {
  row: HitRow;
  score: number;
}

/**
 * Turn a free-text query into words the full-text parser won't read as syntax. A word run together from letters
 * and digits ("GPT4", "llama3") also searches as its parts, since the index splits "GPT-4" into "gpt" and "4".
 */
export function ftsQueryText(query: string): string {
  return query
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(\p{L}+)(\p{N}+)\b/gu, '$1$2 $1 $2')
    .trim();
}

/** BM25 over one full-text-indexed column; `where` is an SQL filter on chunk columns. */
async function matchSearch(snapshot: Snapshot, text: string, column: string, where: string | undefined, limit: number): Promise<Ranked[]> {
  let q = snapshot.chunks
    .search(new MatchQuery(text, column), 'fts')
    .select([...HIT_COLUMNS, '_score'])
    .withRowId()
    .limit(limit);
  if (where) q = q.where(where);
  const rows = (await q.toArray()) as HitRow[];
  return rows.map((row) => ({ row, score: row._score ?? 0 }));
}

/** BM25 over the word index (stemmed, stop words removed, title and headings in the indexed text). */
export async function fullTextSearch(snapshot: Snapshot, query: string, where: string | undefined, limit: number): Promise<Ranked[]> {
  const text = ftsQueryText(query);
  return text ? matchSearch(snapshot, text, 'fts_text', where, limit) : [];
}

/**
 * BM25 over the character n-grams of the passage text, for the words `words` (the search side picks them); empty
 * when the index has no n-gram index (very large indexes) or there are no words.
 */
export async function charGramSearch(snapshot: Snapshot, words: string, where: string | undefined, limit: number): Promise<Ranked[]> {
  return snapshot.charGrams && words ? matchSearch(snapshot, words, 'text', where, limit) : [];
}

/** Nearest chunks by cosine similarity to `vector`. */
export async function vectorSearch(snapshot: Snapshot, vector: Float32Array, where: string | undefined, limit: number): Promise<Ranked[]> {
  // With an IVF-PQ index (≥ ANN_INDEX_MIN_ROWS chunks) the compressed distances alone find few true
  // neighbours; re-ranking 50× the candidates on full vectors brings recall@10 to ~0.99 for a few ms
  // (BENCHMARKS.md, scale). Without an index the search is exact and this changes nothing.
  let q = snapshot.chunks
    .query()
    .nearestTo(Array.from(vector))
    .distanceType('cosine')
    .refineFactor(ANN_REFINE_FACTOR)
    .select([...HIT_COLUMNS, '_distance'])
    .withRowId()
    .limit(limit);
  if (where) q = q.where(where);
  const rows = (await q.toArray()) as HitRow[];
  return rows.map((row) => ({ row, score: 1 - (row._distance ?? 1) }));
}

/** Every distinct speaker of the indexed turns (interviews, transcripts). */
export async function distinctSpeakers(snapshot: Snapshot): Promise<string[]> {
  const rows = (await snapshot.chunks.query().where('speaker IS NOT NULL').select(['speaker']).toArray()) as { speaker: string | null }[];
  return [...new Set(rows.map((r) => r.speaker).filter((s): s is string => !!s))];
}

/** The passage text (what a search shows for a chunk) of the chunks at these row ids of the snapshot, by row id. */
export async function passageTexts(snapshot: Snapshot, rowIds: readonly bigint[]): Promise<Map<bigint, string>> {
  if (rowIds.length === 0) return new Map();
  const rows = (await snapshot.chunks.takeRowIds(rowIds).select(['passage_text']).withRowId().toArray()) as {
    passage_text: string;
    _rowid: bigint;
  }[];
  return new Map(rows.map((r) => [r._rowid, r.passage_text]));
}
