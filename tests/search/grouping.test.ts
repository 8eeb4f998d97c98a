import { describe, expect, it } from 'vitest';
import { aboveRelevanceFloor, RELEVANCE_FLOOR } from '../../src/search/grouping.js';

describe('aboveRelevanceFloor', () => {
  it('keeps, in order, the documents scoring at least RELEVANCE_FLOOR of the best one', () => {
    const groups = [{ score: 1 }, { score: 0.5 }, { score: RELEVANCE_FLOOR }, { score: RELEVANCE_FLOOR - 0.01 }, { score: 0.3 }];
    expect(aboveRelevanceFloor(groups).map((g) => g.score)).toEqual([1, 0.5, RELEVANCE_FLOOR, 0.3]);
  });

  it('measures against a best of at least 0: negative scores drop, an empty list stays empty', () => {
    expect(aboveRelevanceFloor([{ score: -0.2 }, { score: 0 }])).toEqual([{ score: 0 }]);
    expect(aboveRelevanceFloor([])).toEqual([]);
  });
});
