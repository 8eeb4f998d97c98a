import { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8, type DataType } from 'apache-arrow';

/**
 * The tables' Arrow schemas, which only the writer needs: kept out of schema.ts, which every search imports, so that a
 * search evaluates Arrow only when it reads rows (src/index/plain-rows.ts), not at load (scripts/build.mjs).
 */

const str = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const int = (name: string) => new Field(name, new Int32(), false);

export function chunkSchema(dimension: number | null): Schema {
  const fields: Field<DataType>[] = [
    str('doc_id'),
    str('root'),
    str('date', true),
    str('type'),
    str('source_type', true),
    str('tags'),
    str('speaker', true),
    str('text'),
    str('fts_text'),
    str('hit_card'),
    str('listed_card'),
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

export function metaSchema(): Schema {
  return new Schema([str('key'), str('value')]);
}
