import type { ChunkOptions, RootSettings } from '../core/types.js';
import type { EmbeddingSignature } from '../embed/embedder.js';

/**
 * The on-disk layout this code reads and writes. 1 (0.1.0): `chunks` and `documents` tables read at their latest
 * versions. 2: tables per generation, named with the versions readers use by a manifest row committed with the
 * settings (one atomic switch per batch); document rows carry their warnings. 3: documents and chunks carry
 * their root, source type, speakers and book facts, and the settings remember the roots. 4: the chunk text has a
 * character n-gram full-text index beside the word index (archives up to CHAR_GRAM_MAX_ROWS chunks). 5: each chunk
 * carries the longer passage a search shows for it (`passage_*` columns, src/ingest/passages.ts). 6: document
 * rows carry the links they make (the link graph). 7: chunks are cut at sentences by the one splitter the draft
 * tools and cite use (src/text/sentences.ts: an elision or abbreviation before a lower-case word, and initials
 * such as "U.S.", no longer end a sentence), which moves a few chunk boundaries. 8: the chunk table has stable
 * row ids (a compaction leaves its indexes as they are). 9: an index of word vectors keeps the vector table's rows
 * of its passages' words in a file the meta table names (src/embed/wordvec/table.ts, ArchiveWords). 10: the meta
 * table keeps what a search needs to know beside the tables (the n-gram index's presence, the speakers, the titles:
 * `SearchFacts` in src/index/store.ts), so a cold search asks LanceDB for nothing else. 11: what a search reads of a
 * chunk is kept in two JSON columns, its cards (`StoredChunkRow` in src/index/schema.ts); only the fields filters
 * test and the indexes cover keep columns of their own.
 */
export const INDEX_FORMAT_VERSION = 11;

/** Stored in the index: what its chunks and vectors were made with. */
export interface IndexSettings {
  formatVersion: number;
  embedding: EmbeddingSignature | null;
  chunking: ChunkOptions;
  createdAt: string;
  lastIngestAt: string | null;
  /** The collections a bare `priors ingest` re-reads (absent in indexes of format 1). */
  roots?: RootSettings[];
}

export const DEFAULT_CHUNKING: ChunkOptions = { maxTokens: 320, overlapTokens: 40 };

export function sameChunking(a: ChunkOptions, b: ChunkOptions): boolean {
  return a.maxTokens === b.maxTokens && a.overlapTokens === b.overlapTokens;
}

export function sameEmbedding(a: EmbeddingSignature | null, b: EmbeddingSignature | null): boolean {
  if (a === null || b === null) return a === b;
  return a.backend === b.backend && a.model === b.model && a.dimension === b.dimension;
}
