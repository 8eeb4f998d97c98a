import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { openRetriever } from '../../src/search/open-retriever.js';
import { tempDir } from '../helpers/sample-index.js';
import type { WordVecEmbedder } from '../../src/embed/wordvec/embedder.js';
import type { HitRow, Ranked } from '../../src/index/chunk-search.js';
import { softMatchFused } from '../../src/search/soft-match.js';
import { loadTestWordVectors, TEST_CACHE } from '../helpers/wordvec.js';

let wv: WordVecEmbedder;

beforeAll(async () => {
  wv = await loadTestWordVectors();
  // Corpus statistics as ingest fits them: "the", "of", "a" common, everything else rare.
  const filler = Array.from({ length: 300 }, (_, i) => `the cost of a run and the value of a model, take ${i}`);
  wv.fit([...filler, 'a note on the weather', 'the end of the year']);
});

const ranked = (texts: string[]): Ranked[] => texts.map((text, i) => ({ row: { id: `c${i}`, text } as HitRow, score: texts.length - i }));

describe('soft word matching (real word vectors)', () => {
  it('credits a text for words close in meaning, and most for the words themselves', () => {
    const score = wv.matchQuery('cheaper training runs')!;
    const same = score('training runs got cheaper');
    const near = score('the costs of learning went down, inexpensive trials');
    const unrelated = score('a recipe for bread and soup');
    expect(same).toBeCloseTo(1, 5);
    expect(near).toBeGreaterThan(unrelated);
    expect(near).toBeLessThan(same);
    expect(unrelated).toBe(0);
  });

  it('weighs common words little, and has nothing to match in a request of unknown words', () => {
    const score = wv.matchQuery('the weather')!;
    // "the" is too common to count: only "weather" is matched.
    expect(score('the the the')).toBe(0);
    expect(score('weather')).toBeGreaterThan(0.8);
    expect(wv.matchQuery('zzqx qqzv')).toBeNull();
  });

  it('reorders the fused pool without adding or losing candidates', () => {
    const pool = ranked(['bread and soup', 'a recipe for cake', 'the weather turned cold and wet']);
    const score = wv.matchQuery('rainy weather')!;
    const fused = softMatchFused(pool, score, 3);
    expect(fused.map((r) => r.row.id).sort()).toEqual(['c0', 'c1', 'c2']);
    expect(fused[0]?.row.id).toBe('c2');
    expect(softMatchFused(pool, score, 0.01)[0]?.row.id).toBe('c0');
  });
});

describe('hybrid search with soft matching (LanceDB on disk, word-vector index)', () => {
  it('lifts the passage that says the request in other words above one that only shares its words', async () => {
    const work = tempDir();
    const archive = path.join(work, 'archive');
    mkdirSync(archive);
    // Both share "experiments" and "weather" with the request, in as many words. Only the second says
    // "inexpensive" in other words ("cheap", "affordable").
    writeFileSync(path.join(archive, 'costly.md'), '# Stations\n\nExperiments on weather stations ran over budget.\n');
    writeFileSync(path.join(archive, 'cheap.md'), '# Balloons\n\nCheap experiments on weather balloons, affordable kits.\n');
    for (let i = 0; i < 6; i++) {
      writeFileSync(path.join(archive, `other-${i}.md`), `# Note ${i}\n\nA note on gardening, tomatoes and soil number ${i}.\n`);
    }
    const index = path.join(work, 'index');
    const embedder = await loadTestWordVectors();
    await ingest({ roots: [archive], index, embedder });
    const retriever = await openRetriever({ index, cacheDir: TEST_CACHE, onWarning: () => undefined });
    try {
      const query = 'inexpensive experiments on weather';
      const top = async () => (await retriever.search({ query, k: 5, mode: 'hybrid' }))[0]?.docId;
      expect(retriever.softMatchWeight).toBeGreaterThan(0);
      // At full weight (the default is tuned lower, on the archive and SciFact) the meaning decides.
      retriever.softMatchWeight = 1;
      expect(await top()).toBe('archive/cheap.md');
      retriever.softMatchWeight = 0;
      expect(await top()).toBe('archive/costly.md');
    } finally {
      retriever.store.close();
    }
  });
});
