/**
 * `normalizeForMatch` and highlighting give exactly what they gave before their fast paths (text and offsets), on
 * strings that take every slow path and on every file, paragraph and line of the sample corpus.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch, toOriginalSpan } from '../../src/text/normalize.js';
import { CORPUS } from '../helpers/paths.js';
import { goldenOf, piecesOf, textFiles, TRICKY } from './normalize-golden.js';

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

  it('toOriginalSpan reads the same offsets as the map and mapEnd arrays, at every index', () => {
    const texts = [...TRICKY, ...textFiles(CORPUS, CORPUS).flatMap((f) => piecesOf(readFileSync(path.join(CORPUS, f), 'utf8')))];
    for (const t of texts) {
      const n = normalizeForMatch(t);
      const got: [number, number][] = [];
      for (let i = -1; i <= n.norm.length + 1; i++) {
        const s = toOriginalSpan(n, i, i + 1);
        got.push([s.start, s.end]);
      }
      const want: [number, number][] = [];
      for (let i = -1; i <= n.norm.length + 1; i++) want.push([n.map[i] ?? 0, n.mapEnd[i] ?? 0]);
      expect(got, JSON.stringify(t.slice(0, 80))).toEqual(want);
    }
  });
});
