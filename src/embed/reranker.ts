/** A second-stage scorer (e.g. a cross-encoder) that reads query and passage together. */
export interface Reranker {
  readonly id: string;
  /** One relevance score per passage, higher is better. */
  score(query: string, passages: string[]): Promise<number[]>;
  dispose(): Promise<void>;
}
