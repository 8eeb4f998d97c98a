import { describe, expect, it } from 'vitest';
import { aggregate, relevantIndex, scoreQuestion } from '../../scripts/lib/archive-score.js';

const relevant = [
  { file: 'interconnects/public/2024/2024-05-10-modelspec.md', lines: [11, 13] as [number, number] },
  { file: 'rlhf-book/chapters/17-product.md', lines: [29, 31] as [number, number] },
];

describe('archive scoring', () => {
  it('matches a result to its file whether or not the id carries a root name', () => {
    expect(relevantIndex({ docId: 'interconnects/public/2024/2024-05-10-modelspec.md' }, relevant)).toBe(0);
    expect(relevantIndex({ docId: 'public/2024/2024-05-10-modelspec.md' }, relevant)).toBe(0);
    expect(relevantIndex({ docId: 'chapters/17-product.md', path: '17-product.md' }, relevant)).toBe(1);
    expect(relevantIndex({ docId: 'x', path: '/abs/shared/data/rlhf-book/chapters/17-product.md' }, relevant)).toBe(1);
    // A suffix must end at a path separator: "product.md" is not "17-product.md".
    expect(relevantIndex({ docId: 'product.md' }, relevant)).toBe(-1);
  });

  it('ranks documents by their first passage and scores hit@5, MRR@10, recall@10 and line@5', () => {
    const hits = [
      { docId: 'a.md', lineStart: 1, lineEnd: 5 },
      { docId: 'a.md', lineStart: 9, lineEnd: 12 },
      { docId: 'b.md', lineStart: 1, lineEnd: 5 },
      { docId: 'public/2024/2024-05-10-modelspec.md', lineStart: 40, lineEnd: 44 },
      { docId: 'c.md', lineStart: 1, lineEnd: 2 },
      { docId: 'chapters/17-product.md', lineStart: 31, lineEnd: 35 },
    ];
    // Documents: a, b, modelspec (rank 3), c, product (rank 5); the 6th passage is product's, outside the top 5 passages.
    expect(scoreQuestion({ relevant }, hits)).toEqual({ docRank: 3, hit5: 1, rr10: 1 / 3, recall10: 1, line5: 0 });
    const lineHit = [{ docId: 'chapters/17-product.md', lineStart: 31, lineEnd: 35 }];
    expect(scoreQuestion({ relevant }, lineHit)).toEqual({ docRank: 1, hit5: 1, rr10: 1, recall10: 0.5, line5: 1 });
    expect(scoreQuestion({ relevant }, [])).toEqual({ docRank: null, hit5: 0, rr10: 0, recall10: 0, line5: 0 });
  });

  it('averages per question', () => {
    const base = { id: 'q', kind: 'topic' as const, half: 'test' as const, docRank: null };
    const m = aggregate([
      { ...base, hit5: 1, rr10: 1, recall10: 1, line5: 1 },
      { ...base, hit5: 0, rr10: 0.5, recall10: 0, line5: 0 },
    ]);
    expect(m).toEqual({ n: 2, hit5: 0.5, mrr10: 0.75, recall10: 0.5, line5: 0.5 });
  });
});
