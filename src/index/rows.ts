import type { Chunk, DocMeta, TurnMark } from '../core/types.js';
import type { LinkMark } from '../text/links.js';
import { HIT_FIELDS, LISTED_FIELDS, type ChunkRow, type DocumentRow, type StoredChunkRow } from './schema.js';

export const SECTION_SEPARATOR = ' > ';

export function encodeTags(tags: readonly string[]): string {
  return tags.length ? `|${tags.map((t) => t.toLowerCase().replaceAll('|', '/')).join('|')}|` : '';
}

export function decodeTags(encoded: string): string[] {
  return encoded.split('|').filter(Boolean);
}

/** `|Name|Other|` as written (not lower-cased: names are shown); `--speaker` matches case-insensitively. */
export function encodeNames(names: readonly string[]): string {
  return names.length ? `|${names.map((n) => n.replaceAll('|', '/')).join('|')}|` : '';
}

/** The context line put before a passage when it is embedded or full-text indexed (never shown as the quote). */
export function contextPrefix(meta: DocMeta, chunk: Chunk): string {
  const parts = [meta.title, ...chunk.headingPath].filter((p): p is string => !!p);
  return parts.join(SECTION_SEPARATOR);
}

/**
 * What BM25 indexes: the section headings with every passage, the title only with the first one — a title on
 * every chunk made each passage of a long interview match its title's words and crowd out the passages that
 * actually discuss them.
 */
function ftsPrefix(meta: DocMeta, chunk: Chunk): string {
  const parts = [chunk.chunkIndex === 0 ? meta.title : null, ...chunk.headingPath].filter((p): p is string => !!p);
  return parts.join(SECTION_SEPARATOR);
}

export function toChunkRow(meta: DocMeta, chunk: Chunk, relPath: string, vector: Float32Array | null): ChunkRow {
  const prefix = ftsPrefix(meta, chunk);
  const row: ChunkRow = {
    id: `${meta.docId}#${chunk.chunkIndex}`,
    doc_id: meta.docId,
    root: meta.root,
    chunk_index: chunk.chunkIndex,
    rel_path: relPath,
    title: meta.title,
    date: meta.date,
    url: meta.url,
    type: meta.type,
    source_type: meta.sourceType,
    tags: encodeTags(meta.tags),
    section: chunk.headingPath.length ? chunk.headingPath.join(SECTION_SEPARATOR) : null,
    speaker: chunk.speaker,
    timestamp: chunk.timestamp,
    speakers: encodeNames(chunk.speakers),
    start: chunk.start,
    end: chunk.end,
    line_start: chunk.lineStart,
    line_end: chunk.lineEnd,
    text: chunk.text,
    passage_text: chunk.passage.text,
    passage_start: chunk.passage.start,
    passage_end: chunk.passage.end,
    passage_line_start: chunk.passage.lineStart,
    passage_line_end: chunk.passage.lineEnd,
    fts_text: prefix ? `${prefix}\n${chunk.text}` : chunk.text,
  };
  if (vector) row.vector = Array.from(vector);
  return row;
}

/** A chunk as the chunk table stores it: its filtered and indexed fields as columns, the rest in its cards. */
export function chunkRecord(row: ChunkRow): StoredChunkRow {
  const card = (fields: readonly (keyof ChunkRow)[]) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, row[f]])));
  const record: StoredChunkRow = {
    doc_id: row.doc_id,
    root: row.root,
    date: row.date,
    type: row.type,
    source_type: row.source_type,
    tags: row.tags,
    speaker: row.speaker,
    text: row.text,
    fts_text: row.fts_text,
    hit_card: card(HIT_FIELDS),
    listed_card: card(LISTED_FIELDS),
  };
  if (row.vector) record.vector = row.vector;
  return record;
}

export interface DocumentFacts {
  absPath: string;
  relPath: string;
  contentHash: string;
  fileHash: string;
  mtimeMs: number;
  size: number;
  lineBase: number;
  chunkCount: number;
  words: number;
  warnings: readonly string[];
  turns: TurnMark[];
  links: LinkMark[];
}

export function toDocumentRow(meta: DocMeta, facts: DocumentFacts, ingestedAt: string): DocumentRow {
  return {
    doc_id: meta.docId,
    root: meta.root,
    rel_path: facts.relPath,
    abs_path: facts.absPath,
    content_hash: facts.contentHash,
    file_hash: facts.fileHash,
    mtime_ms: facts.mtimeMs,
    size: facts.size,
    title: meta.title,
    subtitle: meta.subtitle,
    date: meta.date,
    url: meta.url,
    type: meta.type,
    source_type: meta.sourceType,
    container: meta.container,
    chapter: meta.chapter,
    tags: encodeTags(meta.tags),
    authors: JSON.stringify(meta.authors),
    people: JSON.stringify(meta.people),
    turns: JSON.stringify(facts.turns),
    extra: JSON.stringify(meta.extra),
    line_base: facts.lineBase,
    chunk_count: facts.chunkCount,
    words: facts.words,
    ingested_at: ingestedAt,
    warnings: JSON.stringify(facts.warnings),
    links: JSON.stringify(facts.links),
  };
}
