import { describe, expect, it } from 'vitest';
import { mrrAtK, ndcgAtK, percentile, recallAtK } from '../../src/search/metrics.js';

// Graded judgements; d6 is relevant but never retrieved, d2/d4 are unjudged.
const rels = new Map([
  ['d1', 3],
  ['d3', 2],
  ['d5', 1],
  ['d6', 3],
  ['d7', 0],
]);
const ranked = ['d1', 'd2', 'd3', 'd4', 'd5'];

describe('ndcgAtK', () => {
  it('matches a hand-computed example (gain = rel, discount log2(i + 2))', () => {
    // DCG@5  = 3/log2(2) + 2/log2(4) + 1/log2(6)                 = 4 + 0.386853    = 4.386853
    // IDCG@5 = 3/log2(2) + 3/log2(3) + 2/log2(4) + 1/log2(5)     = 3 + 1.892789 + 1 + 0.430677 = 6.323466
    expect(ndcgAtK(ranked, rels, 5)).toBeCloseTo(4.386853 / 6.323466, 6);
    expect(ndcgAtK(ranked, rels, 5)).toBeCloseTo(0.693742, 6);
    // @3: (3 + 1) / (3 + 1.892789 + 1)
    expect(ndcgAtK(ranked, rels, 3)).toBeCloseTo(0.678796, 6);
  });

  it('is 1 for the ideal ranking and 0 without relevant docs', () => {
    expect(ndcgAtK(['d1', 'd6', 'd3', 'd5'], rels, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['d6', 'd1', 'd3', 'd5'], rels, 10)).toBeCloseTo(1, 12); // equal gains swap freely
    expect(ndcgAtK(['x'], new Map([['y', 0]]), 10)).toBe(0);
    expect(ndcgAtK([], rels, 10)).toBe(0);
  });

  it('counts a repeated id once and ignores negative judgements', () => {
    expect(ndcgAtK(['d1', 'd1', 'd3'], rels, 3)).toBeCloseTo(ndcgAtK(['d1', 'd3'], rels, 3), 12);
    expect(
      ndcgAtK(
        ['bad', 'd1'],
        new Map([
          ['bad', -1],
          ['d1', 1],
        ]),
        2,
      ),
    ).toBeCloseTo(1 / Math.log2(3), 12);
  });
});

describe('recallAtK', () => {
  it('is the share of relevant docs retrieved in the top k', () => {
    expect(recallAtK(ranked, rels, 5)).toBeCloseTo(3 / 4, 12);
    expect(recallAtK(ranked, rels, 1)).toBeCloseTo(1 / 4, 12);
    expect(recallAtK(ranked, new Map(), 5)).toBe(0);
  });
});

describe('mrrAtK', () => {
  it('is 1/rank of the first relevant doc within k', () => {
    expect(mrrAtK(ranked, rels, 5)).toBe(1);
    expect(mrrAtK(['d2', 'd4', 'd5'], rels, 5)).toBeCloseTo(1 / 3, 12);
    expect(mrrAtK(['d2', 'd4', 'd5'], rels, 2)).toBe(0);
    expect(mrrAtK(['d7', 'd3'], rels, 2)).toBe(0.5); // rel 0 is not relevant
  });
});

describe('percentile', () => {
  it('interpolates linearly between closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 12);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
  });
});
