/**
 * `normalizeForMatch` and highlighting give exactly what they gave before their fast paths (text and offsets), on
 * strings that take every slow path and on every file, paragraph and line of the sample corpus.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch } from '../../src/text/normalize.js';
import { CORPUS } from '../helpers/paths.js';
import { goldenOf, TRICKY } from './normalize-golden.js';

const GOLDEN = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'normalize-golden.json'), 'utf8')) as {
  tricky: { norm: string; map: number[]; mapEnd: number[] }[];
  corpus: Record<string, [string, string]>;
  archive: Record<string, [string, string]>;
};

describe('normalizeForMatch against its recorded outputs', () => {
  it('tricky strings: curly quotes, dashes, ligatures, marks, emoji, CJK, escapes, markdown', () => {
    expect(TRICKY.length).toBe(GOLDEN.tricky.length);
    TRICKY.forEach((t, i) => {
      const n = normalizeForMatch(t);
      expect({ norm: n.norm, map: Array.from(n.map), mapEnd: Array.from(n.mapEnd) }, JSON.stringify(t)).toEqual(GOLDEN.tricky[i]);
    });
  });

  it('every file, paragraph and line of the sample corpus, and their highlight spans', () => {
    expect(goldenOf(CORPUS, CORPUS)).toEqual(GOLDEN.corpus);
  });
});
