import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/embed/load-embedder.js';
import { ingest } from '../../src/ingest/ingest.js';
import { charGramSearch, fullTextSearch } from '../../src/index/chunk-search.js';
import { IndexStore } from '../../src/index/store.js';
import { charGramQueryText } from '../../src/search/char-grams.js';
import { openRetriever } from '../../src/search/open-retriever.js';
import type { Retriever } from '../../src/search/retriever.js';
import { buildSampleIndex, TEST_MODEL, tempDir } from '../helpers/sample-index.js';
import { CORPUS, MODEL_DIR } from '../helpers/paths.js';

const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
// Misspelt twice over: the stemmed words match nothing in the corpus, most 5-character grams match "overconfidence".
const TYPO = 'overconfidnce calbration';

let index: string;
let retriever: Retriever;

beforeAll(async () => {
  ({ index } = await buildSampleIndex());
  retriever = await openRetriever({ index, modelDir: MODEL_DIR, onWarning: () => undefined });
});
afterAll(() => retriever.store.close());

describe('charGramQueryText', () => {
  it('keeps the content words and drops function and request words', () => {
    expect(charGramQueryText('where did I argue the GPT-4 evals were overfit?')).toBe('argue GPT evals were overfit');
    expect(charGramQueryText('what I said about it')).toBe('');
  });
});

describe('the character n-gram side (LanceDB on disk)', () => {
  it('an ingest builds the n-gram index beside the word index', async () => {
    const store = await IndexStore.open(index);
    try {
      const snapshot = await store.snapshot();
      expect(snapshot.facts.charGrams).toBe(true);
      const columns = (await snapshot.chunks.listIndices()).flatMap((i) => i.columns);
      expect(columns).toEqual(expect.arrayContaining(['fts_text', 'text']));
    } finally {
      store.close();
    }
  });

  it('finds misspelt words that word BM25 cannot match', async () => {
    const [words, grams] = await retriever.store.read((s) =>
      Promise.all([fullTextSearch(s, TYPO, undefined, 10), charGramSearch(s, charGramQueryText(TYPO), undefined, 10)]),
    );
    expect(words).toEqual([]);
    // The best matches hold the words meant; weaker ones share only common grams ("ation").
    expect(grams.length).toBeGreaterThanOrEqual(3);
    expect(grams.slice(0, 3).every((g) => /overconfiden/i.test(g.row.text))).toBe(true);
  });

  it('hybrid search ranks those passages; bm25 mode stays word-only', async () => {
    const hybrid = await retriever.search({ query: TYPO, k: 5, mode: 'hybrid' });
    expect(hybrid[0]?.docId).toBe(CALIBRATION);
    expect(hybrid[0]?.text).toMatch(/overconfiden/);
    expect(await retriever.search({ query: TYPO, k: 5, mode: 'bm25' })).toEqual([]);
  });

  it('a passage a later ingest adds is found by its grams (the n-gram index is kept up to date)', async () => {
    const work = tempDir();
    const archive = path.join(work, 'archive');
    const own = path.join(work, 'index');
    cpSync(CORPUS, archive, { recursive: true });
    const tiny = await loadEmbedder({ backend: 'transformers', model: TEST_MODEL, modelDir: MODEL_DIR });
    try {
      await ingest({ roots: [archive], index: own, embedder: tiny });
      writeFileSync(
        path.join(archive, 'posts', 'late.md'),
        '---\ntitle: Late note\n---\n\nThe Quetzalcoatlus benchmark measures how far a model flies.\n',
      );
      await ingest({ roots: [archive], index: own, embedder: tiny });
      const store = await IndexStore.open(own);
      try {
        const grams = await store.read((s) => charGramSearch(s, 'Quetzalcoatl', undefined, 5));
        expect(grams[0]?.row.doc_id).toBe('archive/posts/late.md');
      } finally {
        store.close();
      }
    } finally {
      await tiny.dispose();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
