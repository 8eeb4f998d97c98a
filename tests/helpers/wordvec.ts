import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadWordVecEmbedder, type WordVecEmbedder } from '../../src/embed/wordvec/embedder.js';

/**
 * One cache for every test file and run: the table is converted from the real npm package the first time
 * (a few seconds), then read from here. Concurrent test files converting at once are safe (atomic rename).
 */
export const TEST_CACHE = path.join(tmpdir(), 'priors-test-cache');

export function loadTestWordVectors(): Promise<WordVecEmbedder> {
  return loadWordVecEmbedder({ cacheDir: TEST_CACHE });
}
