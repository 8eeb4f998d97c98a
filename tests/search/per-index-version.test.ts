import { expect, it } from 'vitest';
import { PerIndexVersion } from '../../src/search/per-index-version.js';

it('reads once per index version, and reads again after a failed read', async () => {
  const cache = new PerIndexVersion<string>();
  let reads = 0;
  const load = (result: 'ok' | 'fail') => async () => {
    reads++;
    if (result === 'fail') throw new Error('manifest was not found');
    return `read ${reads}`;
  };
  expect(await cache.get(1, load('ok'))).toBe('read 1');
  expect(await cache.get(1, load('ok'))).toBe('read 1');
  expect(await cache.get(2, load('ok'))).toBe('read 2');
  await expect(cache.get(3, load('fail'))).rejects.toThrow('manifest was not found');
  expect(await cache.get(3, load('ok'))).toBe('read 4');
  expect(reads).toBe(4);
});
