import * as lancedb from '@lancedb/lancedb';
import { Field, Float32, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainRows } from '../../src/index/plain-rows.js';
import { tempDir } from '../helpers/sample-index.js';

/** plainRows must give what LanceDB's own rows give, field for field, for every kind of column the index stores. */

const schema = new Schema([
  new Field('ascii', new Utf8(), false),
  new Field('text', new Utf8(), true),
  new Field('n', new Int32(), true),
  new Field('x', new Float64(), false),
  new Field('f', new Float32(), true),
]);
const data = [
  { ascii: 'doc/a.md', text: 'naïve — “quoted” 日本語 😀', n: 1, x: 0.1, f: 0.3 },
  { ascii: '', text: null, n: null, x: -2.5, f: null },
  { ascii: 'b|c', text: '', n: -7, x: 1e300, f: 1.5 },
  { ascii: 'plain ascii', text: 'ascii only', n: 2_000_000_000, x: 0, f: -0 },
  // A leading byte-order mark: both decoders drop it.
  { ascii: 'bom', text: '\uFEFFafter a byte-order mark', n: 3, x: 3, f: 3 },
];

let dir: string;
let table: lancedb.Table;

beforeAll(async () => {
  dir = tempDir('priors-plain-rows-');
  const db = await lancedb.connect(dir);
  table = await db.createTable('t', data, { schema });
  // A second batch, so the result can come in several record batches.
  await table.add(data.map((r) => ({ ...r, ascii: `${r.ascii}2` })));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plainRows', () => {
  it('gives plain objects equal to LanceDB rows: strings (ASCII or not, empty, null), numbers, floats, bigint row ids', async () => {
    const query = () => table.query().withRowId();
    const expected = (await query().toArray()).map((r: { toJSON(): object }) => ({ ...r.toJSON() }));
    const rows = await plainRows<Record<string, unknown>>(query());
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(10);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(rows[0]).toMatchObject({ ascii: 'doc/a.md', text: 'naïve — “quoted” 日本語 😀', n: 1, x: 0.1 });
    expect(rows[1]).toMatchObject({ ascii: '', text: null, n: null, f: null });
    expect(rows[4]).toMatchObject({ text: 'after a byte-order mark' });
    expect(typeof rows[0]?._rowid).toBe('bigint');
  });

  it("decodes LanceDB's own result batches, never through its toArrow (which evaluates apache-arrow)", async () => {
    const query = table.query().withRowId();
    query.toArrow = () => Promise.reject(new Error('toArrow was called'));
    expect(await plainRows(query)).toHaveLength(10);
  });

  it('reads the columns a query selects, in its order', async () => {
    const rows = await plainRows<Record<string, unknown>>(table.query().select(['text', 'ascii']).where('n IS NULL'));
    expect(rows.map((r) => Object.keys(r))).toEqual([
      ['text', 'ascii'],
      ['text', 'ascii'],
    ]);
  });
});
