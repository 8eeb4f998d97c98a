import type { ModelSettings } from './registry.js';

/** Anything that turns text into vectors: transformers.js locally, or an OpenAI-compatible API. */
export interface Embedder {
  readonly settings: ModelSettings & { dimension: number };
  /** Passages as stored (the passage prefix is added here). */
  embedPassages(texts: string[]): Promise<Float32Array[]>;
  /** A search query (the query prefix is added here). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Token count with the model's tokenizer (an estimate where the backend has none). */
  countTokens(text: string): number;
  dispose(): Promise<void>;
  /** Present when the vectors depend on statistics of the indexed corpus (the word vectors' SIF weights). */
  readonly corpusStatistics?: CorpusStatistics;
  /** Present when the embedder knows words' meanings one by one (static word vectors). */
  readonly wordMatcher?: WordMatcher;
  /** Present when an index can keep what the embedder knows of its passages' words, for fast cold searches. */
  readonly wordList?: WordList;
}

/**
 * What a word-vector embedder knows of the words an index's passages use (their rows of the vector table), kept
 * with the index so that a search reads one small file instead of looking words up in the large table; results
 * are the same with or without it. Ingest restores it, embeds, and saves it when it grew.
 */
export interface WordList {
  /** Start from an index's list (null: none, e.g. a new index); throws when `saved` is damaged. */
  restore(saved: Uint8Array | null): void;
  /** The list with the words of every passage embedded since `restore`; null when it gained none. */
  save(): Uint8Array | null;
}

/**
 * Soft word matching: how much of a request's meaning a text covers word by word, where a word counts when the
 * text has it or a word close to it in meaning ("scorers" for "models" does not; "epoch" for "pass" may).
 */
export interface WordMatcher {
  /** A scorer for texts against this request (0 = nothing matched, 1 = every word); null when no word is known. */
  matchQuery(query: string): ((text: string) => number) | null;
}

/**
 * Corpus statistics an embedder's vectors depend on: fitted on the passages of an index's first build,
 * stored with the index and restored for every later ingest and query — so editing one document re-embeds
 * that document only, and queries are weighted exactly like the passages they are compared with.
 * `ingest --rebuild` fits them afresh.
 */
export interface CorpusStatistics {
  fit(passages: readonly string[]): void;
  save(): string;
  restore(saved: string): void;
}

/** What an index records about how its vectors were made; compared on every open. */
export interface EmbeddingSignature {
  backend: ModelSettings['backend'];
  model: string;
  dimension: number;
}

export function signatureOf(embedder: Embedder): EmbeddingSignature {
  const { backend, id, dimension } = embedder.settings;
  return { backend, model: id, dimension };
}

export function describeSignature(sig: EmbeddingSignature | null): string {
  return sig ? `${sig.backend === 'openai' ? 'openai:' : ''}${sig.model} (${sig.dimension}-d)` : 'no embedding model (full-text only)';
}

/** Rough token estimate for when no tokenizer is loaded (English ≈ 1.3 WordPiece tokens per word). */
export function estimateTokens(text: string): number {
  const words = text.match(/\S+/g);
  return words ? Math.ceil(words.length * 1.3) : 0;
}
