import type { ChunkOptions } from '../core/types.js';
import type { EmbeddingSignature } from '../embed/embedder.js';

/** Stored in the index: what its chunks and vectors were made with. */
export interface IndexSettings {
  formatVersion: 1;
  embedding: EmbeddingSignature | null;
  chunking: ChunkOptions;
  createdAt: string;
  lastIngestAt: string | null;
}

export const DEFAULT_CHUNKING: ChunkOptions = { maxTokens: 320, overlapTokens: 40 };

export function sameChunking(a: ChunkOptions, b: ChunkOptions): boolean {
  return a.maxTokens === b.maxTokens && a.overlapTokens === b.overlapTokens;
}

export function sameEmbedding(a: EmbeddingSignature | null, b: EmbeddingSignature | null): boolean {
  if (a === null || b === null) return a === b;
  return a.backend === b.backend && a.model === b.model && a.dimension === b.dimension;
}
