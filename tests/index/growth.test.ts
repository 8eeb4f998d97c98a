import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderBytes, folderListing, markdownFiles } from '../../scripts/lib/index-integrity.js';
import { ingest } from '../../src/ingest/ingest.js';
import { DEFERRED_VERSIONS_MAX, IndexStore } from '../../src/index/store.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

let work: string;
let archive: string;

beforeAll(() => {
  work = tempDir();
  archive = path.join(work, 'archive');
  cpSync(path.join(CORPUS, 'posts'), archive, { recursive: true });
});

describe('index growth', () => {
  it('a no-op ingest writes nothing', async () => {
    const index = path.join(work, 'noop');
    await ingest({ roots: [archive], index, embedder: null });
    const before = folderListing(index);
    const again = await ingest({ roots: [archive], index, embedder: null });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(folderListing(index)).toEqual(before);
  });

  it('stays within 1.5× of a fresh build after 10 one-edit re-ingests, one version per table on disk (chunks: at most the deferred ones)', async () => {
    const index = path.join(work, 'edited');
    await ingest({ roots: [archive], index, embedder: null });
    const files = [...markdownFiles(archive).keys()].sort();
    for (let i = 0; i < 10; i++) {
      appendFileSync(path.join(archive, files[i % files.length] ?? ''), `\n\nOne more line, edit ${i}.\n`);
      await ingest({ roots: [archive], index, embedder: null });
    }
    const fresh = path.join(work, 'fresh');
    await ingest({ roots: [archive], index: fresh, embedder: null });
    expect(folderBytes(index) / folderBytes(fresh)).toBeLessThan(1.5);
    for (const table of ['chunks_1', 'documents_1', 'meta']) {
      const manifests = readdirSync(path.join(index, `${table}.lance`, '_versions')).filter((f) => f.endsWith('.manifest'));
      // Small runs leave the chunk table's optimisation (and clean-up) to a later run: see DEFERRED_ROWS_MAX.
      expect(manifests.length, table).toBeLessThanOrEqual(table === 'chunks_1' ? DEFERRED_VERSIONS_MAX : 1);
      expect(manifests.length, table).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('--rebuild', () => {
  it('is atomic for readers: searches during a rebuild always see the whole old or the whole new index', async () => {
    const index = path.join(work, 'rebuilt');
    const first = await ingest({ roots: [archive], index, embedder: null });
    const reader = await IndexStore.open(index);
    try {
      let done = false;
      const counts: number[] = [];
      const reads = (async () => {
        while (!done) {
          counts.push(await reader.read(async (s) => (await (await s.documents()).countRows()) * 1_000_000 + (await s.chunks.countRows())));
          await new Promise((r) => setImmediate(r));
        }
      })();
      await ingest({ roots: [archive], index, embedder: null, rebuild: true });
      done = true;
      await reads;
      const whole = first.documents * 1_000_000 + first.chunks;
      expect(counts.length).toBeGreaterThan(5);
      expect(counts.filter((c) => c !== whole)).toEqual([]);
      // And then it reads the new generation.
      expect(await reader.countChunks()).toBe(first.chunks);
      expect(readdirSync(index).sort()).toEqual([
        'chunks_2.lance',
        'documents_2.lance',
        expect.stringMatching(/^meta-\d+\.json$/),
        'meta.lance',
      ]);
    } finally {
      reader.close();
    }
  });
});
