import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullTextSearch, listedRows } from '../../src/index/chunk-search.js';
import { IndexStore } from '../../src/index/store.js';
import { buildSampleIndex } from '../helpers/sample-index.js';

/**
 * A BM25-only search reads its candidates' listed columns with them (`withListed`) instead of a second take: the
 * passages it shows must be exactly those the take gives, also when carried and taken rows are mixed (a request
 * naming a document by title adds rows read without them).
 */

let index: string;
let store: IndexStore;

beforeAll(async () => {
  ({ index } = await buildSampleIndex());
  store = await IndexStore.open(index);
});

afterAll(() => {
  store.close();
  rmSync(path.dirname(index), { recursive: true, force: true });
});

describe('listedRows', () => {
  it('gives the same listed columns for rows that carry them, rows that do not, and a mix of both', async () => {
    await store.read(async (s) => {
      const plain = await fullTextSearch(s, 'open models a year behind', undefined, 100);
      const carried = await fullTextSearch(s, 'open models a year behind', undefined, 100, true);
      expect(carried.map((r) => r.row._rowid)).toEqual(plain.map((r) => r.row._rowid));
      expect(plain.length).toBeGreaterThan(3);
      const taken = await listedRows(
        s,
        plain.map((r) => r.row),
      );
      expect(taken.every((r) => r !== undefined && typeof r.passage_text === 'string')).toBe(true);
      const own = await listedRows(
        s,
        carried.map((r) => r.row),
      );
      const mixed = await listedRows(
        s,
        carried.map((r, i) => (i % 2 ? r.row : plain[i]!.row)),
      );
      // The listed columns alone: a carried row is the whole candidate row.
      const keys = Object.keys(taken[0] ?? {}).filter((k) => k !== '_rowid');
      expect(keys).toContain('passage_text');
      const listed = (rows: typeof taken) => rows.map((r) => r && Object.fromEntries(keys.map((k) => [k, r[k as keyof typeof r]])));
      expect(listed(own)).toEqual(listed(taken));
      expect(listed(mixed)).toEqual(listed(taken));
    });
  });
});
