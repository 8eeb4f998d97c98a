import type { DocumentHeader, SourceSpan } from '../core/types.js';
/** Filters every retrieval front end accepts. */
export interface SearchFilters {
  /** Inclusive ISO dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`). */
  since?: string | undefined;
  until?: string | undefined;
  /** Normalised types (`interview`) or front-matter types as written (`podcast`). */
  types?: string[] | undefined;
  /** Root (collection) names. */
  roots?: string[] | undefined;
  tags?: string[] | undefined;
  /** Glob over the document's path relative to its root (`posts/2024/**`) or its id (`blog/posts/**`). */
  path?: string | undefined;
  speaker?: string | undefined;
  docIds?: string[] | undefined;
  excludeDocIds?: string[] | undefined;
}

export type SearchMode = 'hybrid' | 'bm25' | 'vector';

export interface SearchRequest {
  query: string;
  k: number;
  mode?: SearchMode | undefined;
  filters?: SearchFilters | undefined;
}

/** One passage, as every front end shows it (the JSON contract of `priors search --json`). */
export interface SearchHit extends DocumentHeader {
  type: string;
  sourceType: string | null;
  root: string;
  section: string | null;
  speaker: string | null;
  timestamp: string | null;
  /** Every speaker with a turn in the passage, in order (empty for prose). */
  speakers: string[];
  lineStart: number;
  lineEnd: number;
  /** The passage's own match score. */
  score: number;
  /**
   * The score its document is ranked by: all the document's matching passages and the request's cues (a kind, a
   * year, "first", a named title). Documents are listed in this order, so a later document's best passage may score
   * higher than an earlier one's.
   */
  documentScore: number;
  text: string;
  /** Where the chunk's enclosing passage is; a search lists that passage as the hit's text, offsets and lines. */
  passage: Omit<SourceSpan, 'text'>;
  relPath: string;
  tags: string[];
  chunkIndex: number;
  start: number;
  end: number;
}
