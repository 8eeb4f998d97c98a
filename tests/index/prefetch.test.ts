import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexArgument } from '../../src/cli/parse-flags.js';
import { IndexMissingError } from '../../src/core/errors.js';
import { IndexStore } from '../../src/index/store.js';
import { buildSampleIndex, tempDir } from '../helpers/sample-index.js';

/**
 * A cold command starts opening its index before it has loaded the code that reads it (src/cli/program.ts): the
 * open that follows takes that opening over, whatever it came to, and a guess nobody takes costs nothing.
 */
let index: string;
beforeAll(async () => {
  ({ index } = await buildSampleIndex());
});

describe('IndexStore.prefetch', () => {
  it('hands its opening to the next open of the same location, given the same way or another', async () => {
    IndexStore.prefetch(index);
    const taken = IndexStore.open(path.relative(process.cwd(), index));
    const store = await taken;
    const again = await IndexStore.open(index);
    try {
      expect(again).not.toBe(store);
      expect(await store.countChunks()).toBe(await again.countChunks());
    } finally {
      store.close();
      again.close();
    }
  });

  it('hands over a failure as the open would have failed, and one nobody takes is no unhandled rejection', async () => {
    const missing = path.join(tempDir(), 'no-index-here');
    IndexStore.prefetch(missing);
    await expect(IndexStore.open(missing)).rejects.toBeInstanceOf(IndexMissingError);
    IndexStore.prefetch(path.join(tempDir(), 'never-opened'));
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
});

describe('indexArgument', () => {
  it('reads --index as commander does, and stops at --', () => {
    expect(indexArgument(['search', 'open models', '--index', 'idx', '-k', '3'])).toBe('idx');
    expect(indexArgument(['search', '--index=a/b', 'open models'])).toBe('a/b');
    expect(indexArgument(['search', 'open models'])).toBeUndefined();
    expect(indexArgument(['search', '--', '--index', 'idx'])).toBeUndefined();
  });
});
