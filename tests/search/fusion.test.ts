import { describe, expect, it } from 'vitest';
import type { Ranked } from '../../src/index/chunk-search.js';
import { convexFusion, rrf } from '../../src/search/fusion.js';
import { fuseRankings } from '../../src/search/hybrid-fusion.js';

const A = [
  { id: 'a', score: 10 },
  { id: 'b', score: 5 },
  { id: 'c', score: 0 },
];
const B = [
  { id: 'b', score: 0.9 },
  { id: 'd', score: 0.5 },
  { id: 'a', score: 0.1 },
];

describe('rrf', () => {
  it('sums 1/(k + rank) over lists', () => {
    const out = rrf([
      A,
      [
        { id: 'b', score: 1 },
        { id: 'd', score: 0 },
      ],
    ]);
    expect(out.map((x) => x.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(out[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect(out[1]?.score).toBeCloseTo(1 / 61, 12);
    expect(out[3]?.score).toBeCloseTo(1 / 63, 12);
  });

  it('applies k and per-list weights', () => {
    const out = rrf(
      [
        A,
        [
          { id: 'b', score: 1 },
          { id: 'd', score: 0 },
        ],
      ],
      { k: 1, weights: [2, 1] },
    );
    // a: 2/2 = 1; b: 2/3 + 1/2; c: 2/4; d: 1/3
    expect(out.map((x) => [x.id, Number(x.score.toFixed(4))])).toEqual([
      ['b', 1.1667],
      ['a', 1],
      ['c', 0.5],
      ['d', 0.3333],
    ]);
  });

  it('counts a repeated id once, at its best rank, and handles empty input', () => {
    const out = rrf([
      [
        { id: 'x', score: 3 },
        { id: 'x', score: 2 },
        { id: 'y', score: 1 },
      ],
    ]);
    expect(out.map((x) => x.id)).toEqual(['x', 'y']);
    expect(out[1]?.score).toBeCloseTo(1 / 63, 12);
    expect(rrf([])).toEqual([]);
    expect(rrf([[], []])).toEqual([]);
  });

  it('breaks ties by best rank, then id', () => {
    const out = rrf([
      [
        { id: 'p', score: 1 },
        { id: 'q', score: 0 },
      ],
      [
        { id: 'q', score: 1 },
        { id: 'p', score: 0 },
      ],
      [{ id: 'z', score: 1 }],
      [{ id: 'y', score: 1 }],
    ]);
    expect(out.map((x) => x.id)).toEqual(['p', 'q', 'y', 'z']);
  });

  it('rejects a weight count that does not match the lists', () => {
    expect(() => rrf([A, B], { weights: [1] })).toThrow(RangeError);
  });
});

describe('convexFusion', () => {
  it('minmax: weighted sum, a missing id gets the list minimum (0)', () => {
    const out = convexFusion([A, B], [0.5, 0.5], 'minmax');
    expect(out.map((x) => [x.id, x.score])).toEqual([
      ['b', 0.75],
      ['a', 0.5],
      ['d', 0.25],
      ['c', 0],
    ]);
  });

  it('zscore: standardised scores, a missing id gets the list minimum z', () => {
    const out = convexFusion([A, B], [0.5, 0.5], 'zscore');
    const z = Math.sqrt(3 / 2); // (10 - 5) / std([10, 5, 0]) with population std
    expect(out.map((x) => x.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(out[0]?.score).toBeCloseTo(0.5 * 0 + 0.5 * z, 10);
    expect(out[1]?.score).toBeCloseTo(0.5 * z - 0.5 * z, 10);
    expect(out[2]?.score).toBeCloseTo(-0.5 * z + 0, 10);
    expect(out[3]?.score).toBeCloseTo(-z, 10);
  });

  it('weights can favour one list', () => {
    expect(convexFusion([A, B], [1, 0], 'minmax')[0]?.id).toBe('a');
    expect(convexFusion([A, B], [0, 1], 'minmax')[0]?.id).toBe('b');
  });

  it('handles flat, single-item and empty lists', () => {
    const flat = [
      { id: 'x', score: 2 },
      { id: 'y', score: 2 },
    ];
    expect(convexFusion([flat], [1], 'minmax').map((r) => r.score)).toEqual([1, 1]);
    expect(convexFusion([flat], [1], 'zscore').map((r) => r.score)).toEqual([0, 0]);
    expect(convexFusion([[{ id: 'solo', score: -3 }], []], [1, 1], 'minmax')).toEqual([{ id: 'solo', score: 1 }]);
    expect(convexFusion([], [], 'zscore')).toEqual([]);
  });

  it('rejects a weight count that does not match the lists', () => {
    expect(() => convexFusion([A, B], [1], 'minmax')).toThrow(RangeError);
  });
});

describe('fuseRankings', () => {
  const row = (id: string) => ({ id }) as Ranked['row'];
  const list = (...xs: [string, number][]) => xs.map(([id, score]) => ({ row: row(id), score }));

  it('fuses any number of weighted lists; a passage only the third list finds still ranks', () => {
    const out = fuseRankings([
      { ranked: list(['a', 10], ['b', 5], ['c', 0]), weight: 1 },
      { ranked: list(['b', 0.9], ['a', 0.1]), weight: 0.1 },
      { ranked: list(['d', 3], ['c', 1], ['b', 0]), weight: 0.7 },
    ]);
    expect(out.map((r) => r.row.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(out[1]?.score).toBeCloseTo(0.7, 12);
  });

  it('drops empty and unweighted lists, and returns a single remaining list as it is', () => {
    const lexical = list(['a', 10], ['b', 5]);
    expect(
      fuseRankings([
        { ranked: lexical, weight: 1 },
        { ranked: [], weight: 0.1 },
        { ranked: list(['z', 1]), weight: 0 },
      ]),
    ).toBe(lexical);
    expect(
      fuseRankings([
        { ranked: [], weight: 1 },
        { ranked: list(['z', 1]), weight: 0 },
      ]).map((r) => r.row.id),
    ).toEqual(['z']);
  });
});
