import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8, type DataType } from 'apache-arrow';

/** Column names are snake_case: LanceDB's SQL filters fold unquoted identifiers to lower case. */
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

const str = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const int = (name: string) => new Field(name, new Int32(), false);

export function chunkSchema(dimension: number | null): Schema {
  const fields: Field<DataType>[] = [
    str('id'),
    str('doc_id'),
    str('root'),
    int('chunk_index'),
    str('rel_path'),
    str('title', true),
    str('date', true),
    str('url', true),
    str('type'),
    str('source_type', true),
    str('tags'),
    str('section', true),
    str('speaker', true),
    str('timestamp', true),
    str('speakers'),
    int('start'),
    int('end'),
    int('line_start'),
    int('line_end'),
    str('text'),
    str('passage_text'),
    int('passage_start'),
    int('passage_end'),
    int('passage_line_start'),
    int('passage_line_end'),
    str('fts_text'),
  ];
  if (dimension !== null) {
    fields.push(new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), true));
  }
  return new Schema(fields);
}

export function documentSchema(): Schema {
  return new Schema([
    str('doc_id'),
    str('root'),
    str('rel_path'),
    str('abs_path'),
    str('content_hash'),
    str('file_hash'),
    new Field('mtime_ms', new Float64(), false),
    new Field('size', new Float64(), false),
    str('title', true),
    str('subtitle', true),
    str('date', true),
    str('url', true),
    str('type'),
    str('source_type', true),
    str('container', true),
    str('chapter', true),
    str('tags'),
    str('authors'),
    str('people'),
    str('turns'),
    str('extra'),
    int('line_base'),
    int('chunk_count'),
    int('words'),
    str('ingested_at'),
    str('warnings'),
    str('links'),
  ]);
}

export const metaSchema = new Schema([str('key'), str('value')]);

/** Quote a string for a LanceDB SQL filter. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIn(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}
