import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { IndexStore } from '../../src/index/store.js';
import { CLI, CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

/**
 * A long-running reader (`serve`, `mcp`, `ingest --watch`'s searches) takes a new snapshot whenever an ingest has
 * published; each publish removes the table versions the previous manifest named. A reader that read that manifest
 * just before must load the newer one, not fail on LanceDB's "manifest was not found" (seen in the watch test).
 */
it('a reader taking snapshots while ingests publish never fails', async () => {
  const root = path.join(tempDir(), 'corpus');
  cpSync(CORPUS, root, { recursive: true });
  const index = path.join(tempDir(), 'index');
  await ingest({ roots: [root], index, embedder: null });
  const post = path.join(root, readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.md'))!);

  const store = await IndexStore.open(index);
  const errors: string[] = [];
  let reads = 0;
  let publishing = true;
  const reader = (async () => {
    while (publishing) {
      try {
        await store.listDocuments();
        await store.countChunks();
        reads++;
      } catch (err) {
        errors.push((err as Error).message.slice(0, 200));
      }
    }
  })();
  try {
    for (let i = 0; i < 12; i++) {
      appendFileSync(post, `\n\nEdit ${i}: a paragraph about wombats and harbours.\n`);
      // Another process, as `ingest --watch` beside `serve` is: its publishes interleave with this one's reads.
      await promisify(execFile)(process.execPath, [CLI, 'ingest', root, '--index', index, '--no-embed', '--json']);
    }
  } finally {
    publishing = false;
    await reader;
    store.close();
  }
  expect(errors).toEqual([]);
  expect(reads).toBeGreaterThan(12);
}, 120_000);
