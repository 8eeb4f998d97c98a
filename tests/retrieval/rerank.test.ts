import { describe, expect, it } from 'vitest';
import { loadRerankerOrWarn } from '../../src/search/open-retriever.js';
import type { Reranker } from '../../src/embed/reranker.js';
import { rerankHits } from '../../src/search/rerank.js';
import type { SearchHit } from '../../src/search/types.js';
import { tempDir } from '../helpers/sample-index.js';

const hit = (docId: string, text: string, score: number): SearchHit => ({
  docId,
  title: null,
  date: null,
  url: null,
  type: 'post',
  sourceType: null,
  root: 'r',
  section: null,
  speaker: null,
  timestamp: null,
  speakers: [],
  lineStart: 1,
  lineEnd: 1,
  score,
  documentScore: score,
  text,
  passage: { start: 0, end: text.length, lineStart: 1, lineEnd: 1 },
  relPath: docId,
  tags: [],
  chunkIndex: 0,
  start: 0,
  end: text.length,
});

/** Scores a passage by how many query words it contains: enough to see the stage reorder. */
const overlapScorer: Reranker = {
  id: 'word-overlap',
  score: async (query, passages) => passages.map((p) => query.split(' ').filter((w) => p.toLowerCase().includes(w)).length),
  dispose: async () => undefined,
};

describe('rerank stage', () => {
  it('re-orders the head of the list by the reranker and keeps the tail below it', async () => {
    const hits = [
      hit('a', 'nothing relevant', 3),
      hit('b', 'reward model overoptimization', 2),
      hit('c', 'reward only', 1),
      hit('d', 'tail', 0),
    ];
    const out = await rerankHits(overlapScorer, 'reward model', hits, 3);
    expect(out.map((h) => h.docId)).toEqual(['b', 'c', 'a', 'd']);
    expect(out[0]!.score).toBe(2);
  });

  it('is off by default, and a configured reranker that cannot be loaded only warns', async () => {
    const warnings: string[] = [];
    expect(await loadRerankerOrWarn({ index: 'x' }, (m) => warnings.push(m))).toBeNull();
    expect(warnings).toEqual([]);
    const missing = await loadRerankerOrWarn({ index: 'x', reranker: 'priors/no-such-reranker', modelDir: tempDir() }, (m) =>
      warnings.push(m),
    );
    expect(missing).toBeNull();
    expect(warnings.join('\n')).toMatch(/could not load reranker priors\/no-such-reranker.*without the rerank stage/);
  });
});
