/** Shared shapes of the core. Offsets always refer to `ParsedDocument.source`. */

/**
 * What every result says about the document it comes from — search hits, quotes, citations, answers, document
 * lists (the public field names; absent values are null).
 */
export interface DocumentHeader {
  /** Stable id: POSIX path relative to the ingest root (prefixed by the root's name when several roots are given), or the record id for JSONL. */
  docId: string;
  title: string | null;
  /** ISO date `YYYY-MM-DD` (or full ISO timestamp when the source had one; `YYYY-MM` and `YYYY` are kept as written), null when unknown. */
  date: string | null;
  url: string | null;
}

/** Normalised metadata of one document (a file, or one record of a JSONL export). */
export interface DocMeta extends DocumentHeader {
  /** Source file, POSIX, relative to its root. For JSONL records: the .jsonl file. */
  relPath: string;
  subtitle: string | null;
  /** `post` | `transcript` | `record` | `text` (normalised); the raw front-matter type stays in `extra`. */
  type: string;
  tags: string[];
  authors: string[];
  /** Every front-matter / record field as parsed (JSON-safe). */
  extra: Record<string, unknown>;
}

export type BlockKind = 'heading' | 'paragraph' | 'list' | 'code' | 'table' | 'blockquote' | 'html' | 'turn' | 'other';

/** A structural unit of a document: the chunker packs these into chunks. */
export interface Block {
  kind: BlockKind;
  /** [start, end) char offsets into the document source. */
  start: number;
  end: number;
  /** Headings above this block, outermost first (heading blocks include their own text last). */
  headingPath: string[];
  /** For transcript turns. */
  speaker: string | null;
  /** `hh:mm:ss` (or as written) for transcript turns. */
  timestamp: string | null;
}

export interface ParsedDocument {
  meta: DocMeta;
  /** The text offsets refer to: the whole file, or the record's text for JSONL. */
  source: string;
  /** 1-based line of `source[0]` in the file (1 for files, the record's line for JSONL). */
  lineBase: number;
  /** True when line numbers inside `source` map to file lines (false for JSONL records: every chunk cites the record line). */
  linesMapToFile: boolean;
  blocks: Block[];
  /** Problems worth telling the user (file + line in the message). */
  warnings: string[];
}

/** One retrievable passage: exact source text plus where it came from. */
export interface Chunk {
  docId: string;
  chunkIndex: number;
  /** Exactly `source.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** 1-based inclusive line range in the source file. */
  lineStart: number;
  lineEnd: number;
  headingPath: string[];
  speaker: string | null;
  timestamp: string | null;
}

export interface ChunkOptions {
  /** Target size in model tokens. */
  maxTokens: number;
  /** Tokens of overlap carried from the end of one chunk into the next within a section/turn. */
  overlapTokens: number;
}

export type TokenCounter = (text: string) => number;
