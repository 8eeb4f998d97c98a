/**
 * A chunk as ingest makes it (field names are snake_case, as the columns: LanceDB's SQL filters fold unquoted
 * identifiers to lower case). The chunk table stores it as a `StoredChunkRow` (`chunkRecord` in rows.ts).
 */
export interface ChunkRow {
  id: string;
  doc_id: string;
  /** Name of the root (collection), for `--root`. */
  root: string;
  chunk_index: number;
  rel_path: string;
  title: string | null;
  date: string | null;
  url: string | null;
  type: string;
  /** Front-matter type as written (`podcast`), so `--type podcast` still finds it. */
  source_type: string | null;
  /** `|tag1|tag2|`, lower-cased, so `--tag` filters are a LIKE. */
  tags: string;
  section: string | null;
  /** Speaker with most of the passage's text. */
  speaker: string | null;
  timestamp: string | null;
  /** `|Name|Other Name|`: every speaker with a turn in the passage, in order. */
  speakers: string;
  start: number;
  end: number;
  line_start: number;
  line_end: number;
  text: string;
  /** The longer passage a search shows for this chunk (see src/ingest/passages.ts), cut from the same source. */
  passage_text: string;
  passage_start: number;
  passage_end: number;
  passage_line_start: number;
  passage_line_end: number;
  /** What BM25 sees: title and section headings weigh in like words of the passage. */
  fts_text: string;
  vector?: number[] | Float32Array;
}

/**
 * What every first-stage search reads of a candidate (`HitRow`) besides its text: what fusion, soft matching, the
 * cues and document ranking look at. Stored as one JSON column, `hit_card`; the text is read from its own column
 * (which the n-gram index needs anyway), as fast as from the card.
 */
export const HIT_FIELDS = [
  'id',
  'doc_id',
  'chunk_index',
  'rel_path',
  'title',
  'date',
  'type',
  'speaker',
  'start',
  'end',
  'passage_start',
  'passage_end',
] as const;

/** What a listed passage shows beyond `HIT_FIELDS` (`ListedRow`), stored as one JSON column, `listed_card`. */
export const LISTED_FIELDS = [
  'url',
  'source_type',
  'root',
  'tags',
  'section',
  'timestamp',
  'speakers',
  'line_start',
  'line_end',
  'passage_line_start',
  'passage_line_end',
  'passage_text',
] as const;

/**
 * The chunk fields also stored as columns of their own: what SQL filters test (`filterToSql` in
 * src/search/filters.ts), the writer scans (`doc_id`, `speaker`) and the n-gram index covers (`text`). Every other
 * field is in the cards only.
 */
export const TYPED_FIELDS = ['doc_id', 'root', 'date', 'type', 'source_type', 'tags', 'speaker', 'text'] as const;

/**
 * A row of the chunk table. LanceDB reads and decodes each column a query selects on its own, so what a read costs
 * follows the columns it selects more than the rows: what a search reads of a chunk is kept in two JSON columns, the
 * cards, beside its text, instead of 25 typed columns. Measured in-process after LanceDB's first query (medians
 * of 30, load ≈ 2): a BM25-only search's read of 68 candidates on the sample corpus ≈ 5.3 → 2.7 ms, of 100 on the
 * archive ≈ 7.9 → 5.5 ms; a hybrid search's list of 100 on the archive ≈ 5.0 → 3.5 ms. Two cards rather than one, or
 * a hybrid search's pools of 100+ candidates would decode passage text they never show (≈ 1.5 ms a list on the
 * archive). The text stays a column of its own (the n-gram index covers it): read from there it costs what it costs
 * from a card, and is stored once.
 */
export type StoredChunkRow = Pick<ChunkRow, (typeof TYPED_FIELDS)[number] | 'fts_text' | 'vector'> & {
  /** JSON of the chunk's `HIT_FIELDS`. */
  hit_card: string;
  /** JSON of the chunk's `LISTED_FIELDS`. */
  listed_card: string;
};

export interface DocumentRow {
  doc_id: string;
  root: string;
  rel_path: string;
  abs_path: string;
  content_hash: string;
  file_hash: string;
  mtime_ms: number;
  size: number;
  title: string | null;
  subtitle: string | null;
  date: string | null;
  url: string | null;
  type: string;
  source_type: string | null;
  /** Book title of a chapter, or the publication of a post. */
  container: string | null;
  /** Chapter label (`1`, `A`) of a book chapter. */
  chapter: string | null;
  tags: string;
  authors: string;
  /** JSON `Person[]`: interview speakers and their roles. */
  people: string;
  /** JSON `TurnMark[]`: where each speaker turn starts, so any quoted offset has its speaker and time. */
  turns: string;
  /** JSON of every front-matter field. */
  extra: string;
  line_base: number;
  chunk_count: number;
  words: number;
  ingested_at: string;
  /** JSON array of the warnings reading this document's file gave, replayed while the file is unchanged (`--strict`). */
  warnings: string;
  /**
   * JSON `LinkMark[]`: every link the document makes, as written, with its line. Which ones reach another
   * document is decided when the index is read (link-graph.ts), so adding or removing the linked post, or a
   * root's URL template, needs no re-read of the posts that link to it.
   */
  links: string;
}

/** Quote a string for a LanceDB SQL filter. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIn(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}
