import { MatchQuery } from '@lancedb/lancedb';
import { letterDigitRuns } from '../text/normalize.js';
import { plainRows, type LanceQuery } from './plain-rows.js';
import { sqlIn, type ChunkRow, type HIT_FIELDS, type LISTED_FIELDS } from './schema.js';
import { parseTitles, queryTitles, type DocumentTitle, type Snapshot } from './store.js';

/**
 * The two first-stage searches over the chunk table, built here so that only the index layer speaks
 * LanceDB's query language; search/ fuses, filters and ranks what they return.
 */

/** How many times k candidates an IVF-PQ search re-ranks on full vectors (see vectorSearch). */
export const ANN_REFINE_FACTOR = 50;

/**
 * A candidate's row: its hit card and text, with its search's score or distance and its row id; it carries its
 * listed card too when its search read it (`fullTextSearch`'s `withListed`).
 */
export type HitRow = Pick<ChunkRow, (typeof HIT_FIELDS)[number] | 'text'> &
  Partial<ListedRow> & { _score?: number; _distance?: number; _rowid?: bigint };

/** The rest of a listed chunk's row: its listed card. */
export type ListedRow = Pick<ChunkRow, (typeof LISTED_FIELDS)[number]>;

/** A chunk row as a search selects it: its cards (see `StoredChunkRow`), its text and the search's own columns. */
interface CardRow {
  hit_card: string;
  text: string;
  listed_card?: string;
  _score?: number;
  _distance?: number;
  _rowid?: bigint;
}

/** Every search reads these of its candidates (`HitRow`), with its own columns (`_score` or `_distance`). */
const HIT_COLUMNS = ['hit_card', 'text'];

/** The rows of a query that selects `HIT_COLUMNS` (and maybe the listed card), each card unpacked into its fields. */
async function hitRows(query: LanceQuery): Promise<HitRow[]> {
  return (await plainRows<CardRow>(query)).map(({ hit_card, listed_card, ...columns }) =>
    Object.assign(JSON.parse(hit_card) as HitRow, listed_card === undefined ? null : (JSON.parse(listed_card) as ListedRow), columns),
  );
}

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
  // Only a query with something beyond ASCII letters can hold a letters-then-digits word, so only such a query pays for
  // compiling the second regex (a Unicode-property regex costs ~0.3 ms to compile).
  const words = letterDigitRuns(query).join(' ');
  return /[^A-Za-z ]/.test(words) ? words.replace(/\b(\p{L}+)(\p{N}+)\b/gu, '$1$2 $1 $2') : words;
}

/** BM25 over one full-text-indexed column; `where` is an SQL filter on chunk columns. */
async function matchSearch(
  snapshot: Snapshot,
  text: string,
  column: string,
  where: string | undefined,
  limit: number,
  withListed = false,
): Promise<Ranked[]> {
  let q = snapshot.chunks
    .search(new MatchQuery(text, column), 'fts')
    .select(withListed ? [...HIT_COLUMNS, 'listed_card', '_score'] : [...HIT_COLUMNS, '_score'])
    .withRowId()
    .limit(limit);
  if (where) q = q.where(where);
  const rows = await hitRows(q);
  return rows.map((row) => ({ row, score: row._score ?? 0 }));
}

/**
 * BM25 over the word index (stemmed, stop words removed, title and headings in the indexed text). `withListed` reads
 * each candidate's listed card too, for a search whose only list this is, sparing `listedRows`' second LanceDB read
 * for the listed few. With the listed fields in 12 columns that spared ≈ 4 ms of a cold full-text search on the
 * sample corpus and ≈ 3 ms on the archive; read as one card, ≈ 0.6–2 ms on the sample corpus and nothing on the
 * archive (its pool's passage text costs what the read costs), so it stays for small indexes.
 */
export async function fullTextSearch(
  snapshot: Snapshot,
  query: string,
  where: string | undefined,
  limit: number,
  withListed = false,
): Promise<Ranked[]> {
  const text = ftsQueryText(query);
  return text ? matchSearch(snapshot, text, 'fts_text', where, limit, withListed) : [];
}

/**
 * BM25 over the word index within a few documents: the passages of documents a request names by title that the
 * first `limit` of `fullTextSearch` left out (scores on its scale: the same index and query).
 */
export async function fullTextSearchIn(
  snapshot: Snapshot,
  query: string,
  docIds: readonly string[],
  where: string | undefined,
  limit: number,
): Promise<Ranked[]> {
  const inDocs = sqlIn('doc_id', docIds);
  return fullTextSearch(snapshot, query, where ? `(${where}) AND ${inDocs}` : inDocs, limit);
}

/**
 * BM25 over the character n-grams of the passage text, for the words `words` (the search side picks them); empty
 * when the index has no n-gram index (very large indexes) or there are no words.
 */
export async function charGramSearch(snapshot: Snapshot, words: string, where: string | undefined, limit: number): Promise<Ranked[]> {
  return snapshot.facts.charGrams && words ? matchSearch(snapshot, words, 'text', where, limit) : [];
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
  const rows = await hitRows(q);
  return rows.map((row) => ({ row, score: 1 - (row._distance ?? 1) }));
}

/**
 * Every document's id and title (untitled documents left out): the few hundred titles a search compares a request
 * with, kept in the meta row but for very large indexes.
 */
export async function documentTitles(snapshot: Snapshot): Promise<DocumentTitle[]> {
  return snapshot.titles === null ? queryTitles(await snapshot.documents()) : parseTitles(snapshot.titles);
}

/**
 * The listed cards of these candidate rows of the snapshot (the passages a search lists), in their order: a row's
 * own when its search read them, the others' read now in one take by row id. Undefined for a row the snapshot lacks.
 */
export async function listedRows(snapshot: Snapshot, rows: readonly HitRow[]): Promise<(ListedRow | undefined)[]> {
  const carried = (row: HitRow): row is HitRow & ListedRow => 'passage_text' in row;
  const missing = rows.flatMap((r) => (!carried(r) && r._rowid !== undefined ? [r._rowid] : []));
  const taken =
    missing.length === 0
      ? []
      : await plainRows<{ listed_card: string; _rowid: bigint }>(snapshot.chunks.takeRowIds(missing).select(['listed_card']).withRowId());
  const byId = new Map(taken.map((r) => [r._rowid, JSON.parse(r.listed_card) as ListedRow]));
  return rows.map((r) => (carried(r) ? r : r._rowid === undefined ? undefined : byId.get(r._rowid)));
}

/** Every chunk of the snapshot as searches read it (both cards): what audits and tests check against the files. */
export async function chunkCards(snapshot: Snapshot): Promise<(HitRow & ListedRow)[]> {
  return (await hitRows(snapshot.chunks.query().select([...HIT_COLUMNS, 'listed_card']))) as (HitRow & ListedRow)[];
}
