import type { DocumentHeader } from '../core/types.js';
/** Filters every retrieval front end accepts. */
export interface SearchFilters {
  /** Inclusive ISO dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`). */
  since?: string | undefined;
  until?: string | undefined;
  types?: string[] | undefined;
  tags?: string[] | undefined;
  /** Glob over the document's path relative to its root, e.g. `posts/2024/**`. */
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
  section: string | null;
  speaker: string | null;
  timestamp: string | null;
  lineStart: number;
  lineEnd: number;
  score: number;
  text: string;
  relPath: string;
  tags: string[];
  chunkIndex: number;
  start: number;
  end: number;
}
