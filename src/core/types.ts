/** Shared shapes of the core. Offsets always refer to `ParsedDocument.source`. */

/**
 * What every result says about the document it comes from — search hits, quotes, citations, answers, document
 * lists (the public field names; absent values are null).
 */
export interface DocumentHeader {
  /** Stable id: `<root name>/<path relative to the root>` for files, or the record's own id for JSONL. */
  docId: string;
  title: string | null;
  /** ISO date `YYYY-MM-DD` (or full ISO timestamp when the source had one; `YYYY-MM` and `YYYY` are kept as written), null when unknown. */
  date: string | null;
  url: string | null;
}

/**
 * One collection the index remembers (`priors roots list`): a folder (or file) with a name and the settings
 * its documents are read with. Kept in the index so a bare `priors ingest` re-reads every root the same way.
 */
export interface RootSettings {
  /** Unique within an index; the first segment of every file document's id. */
  name: string;
  /** Absolute path of the folder or file. */
  path: string;
  /** URL pattern for documents without a front-matter url: `{slug}`, `{stem}`, `{path}`, `{date}`, `{year}`, `{month}`, `{day}`. */
  urlTemplate: string | null;
  /** Book title: every markdown/text file of the root is a chapter of this book. */
  book: string | null;
  /** Who wrote the root's documents (the host of its interviews); front matter `authors` adds to it. */
  author: string | null;
  /** Site or publication name shown in citations (e.g. "Interconnects"). */
  publication: string | null;
  /**
   * Other hosts the root's documents were published under (an older `*.substack.com` domain of the same
   * publication): a link to one of them is a link to the same document on the root's own host. Absent in
   * roots stored before it existed.
   */
  urlAliases?: string[] | undefined;
}

/** A root as the user names it on the command line or in the config file; unset settings keep stored ones. */
export interface RootRequest {
  path: string;
  name?: string | undefined;
  urlTemplate?: string | undefined;
  book?: string | undefined;
  author?: string | undefined;
  publication?: string | undefined;
  /** Hosts (`robotic.substack.com`) or URLs on them; an empty list clears the stored ones. */
  urlAliases?: string[] | undefined;
}

/** A speaker of an interview and their part in it. */
export interface Person {
  name: string;
  /** `host` is the author (or whoever is not named as a guest); null when it cannot be told. */
  role: 'host' | 'guest' | null;
}

/** Where a speaker turn starts (offset into the document source). */
export interface TurnMark {
  start: number;
  speaker: string;
  timestamp: string | null;
}

/** Normalised metadata of one document (a file, or one record of a JSONL export). */
export interface DocMeta extends DocumentHeader {
  /** Name of the root (collection) the document was read from. */
  root: string;
  /** Source file, POSIX, relative to its root. For JSONL records: the .jsonl file. */
  relPath: string;
  subtitle: string | null;
  /** `post` | `interview` | `chapter` | `transcript` | `record` | `text` (normalised). */
  type: string;
  /** The front-matter / record type as written (`podcast`, `newsletter`), or null. */
  sourceType: string | null;
  /** The book a chapter belongs to, or the publication of a post; null when unknown. */
  container: string | null;
  /** Chapter label of a book chapter: `1`, `12`, `A` (appendix); null otherwise. */
  chapter: string | null;
  /** Interview speakers with their roles (empty for other documents). */
  people: Person[];
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

/** A span of a document's source text: exactly `source.slice(start, end)`, at 1-based inclusive file lines. */
export interface SourceSpan {
  text: string;
  start: number;
  end: number;
  lineStart: number;
  lineEnd: number;
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
  /** The speaker with most of the chunk's text (a chunk may merge short turns), or null for prose. */
  speaker: string | null;
  /** Timestamp of the first turn of `speaker` in the chunk. */
  timestamp: string | null;
  /** Every speaker with a turn in the chunk, in order of appearance. */
  speakers: string[];
  /**
   * What a search shows for this chunk: the longer passage around it (small-to-big: the chunk is what is matched,
   * the passage what is read and cited). The chunk's own span until `encloseInPassages` widens it.
   */
  passage: SourceSpan;
}

export interface ChunkOptions {
  /** Target size in model tokens. */
  maxTokens: number;
  /** Tokens of overlap carried from the end of one chunk into the next within a section/turn. */
  overlapTokens: number;
}

export type TokenCounter = (text: string) => number;
