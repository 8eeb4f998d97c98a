import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { markdownFiles } from '../../scripts/lib/index-integrity.js';
import { ingest } from '../../src/ingest/ingest.js';
import { charGramSearch, fullTextSearch } from '../../src/index/chunk-search.js';
import { DEFERRED_VERSIONS_MAX, IndexStore, type Snapshot } from '../../src/index/store.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

let archive: string;
let index: string;

beforeAll(async () => {
  const work = tempDir();
  archive = path.join(work, 'archive');
  index = path.join(work, 'index');
  cpSync(path.join(CORPUS, 'posts'), archive, { recursive: true });
  await ingest({ roots: [archive], index, embedder: null });
});

async function withSnapshot<T>(fn: (s: Snapshot) => Promise<T>): Promise<T> {
  const store = await IndexStore.open(index);
  try {
    return await store.read(fn);
  } finally {
    store.close();
  }
}

const unindexedRows = (s: Snapshot) => s.chunks.indexStats('text_idx').then((stats) => stats?.numUnindexedRows ?? 0);
const hits = async (s: Snapshot, word: string) => [
  ...(await fullTextSearch(s, word, undefined, 100)).map((r) => ({ ...r.row, side: 'words' })),
  ...(await charGramSearch(s, word, undefined, 100)).map((r) => ({ ...r.row, side: 'grams' })),
];

describe('a small re-ingest leaves the chunk table unoptimised (LanceDB searches unindexed rows flat)', () => {
  it('finds new rows by words and character n-grams, and never returns the indexed rows they replaced', async () => {
    const files = [...markdownFiles(archive).keys()].sort();
    const texts = new Map(files.map((f) => [f, readFileSync(path.join(archive, f), 'utf8')]));
    // A long word that occurs in one file only: its rows are in both indexes and are deleted by the edit.
    const wordsOf = (text: string) => new Set(text.toLowerCase().match(/\b[a-z]{9,}\b/g) ?? []);
    const counts = new Map<string, number>();
    for (const text of texts.values()) for (const w of wordsOf(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const file = files.find((f) => [...wordsOf(texts.get(f) ?? '')].some((w) => counts.get(w) === 1)) ?? '';
    const rare = [...wordsOf(texts.get(file) ?? '')].find((w) => counts.get(w) === 1) ?? '';
    expect(rare).not.toBe('');
    const before = await withSnapshot((s) => hits(s, rare));
    const docIds = new Set(before.filter((h) => h.side === 'words').map((h) => h.doc_id));
    expect(docIds.size).toBe(1);
    const [docId] = docIds;
    const oldRows = new Set(before.filter((h) => h.doc_id === docId).map((h) => h._rowid));
    expect(oldRows.size).toBeGreaterThan(0);

    // Replace the rare word everywhere in its file and add a new one.
    const edited = (texts.get(file) ?? '').replace(new RegExp(`\\b${rare}\\b`, 'gi'), 'plainword');
    writeFileSync(path.join(archive, file), `${edited}\n\nA zephyrglyphic passage appears.\n`);
    const report = await ingest({ roots: [archive], index, embedder: null });
    expect(report).toMatchObject({ updated: 1 });

    await withSnapshot(async (s) => {
      expect(await unindexedRows(s)).toBeGreaterThan(0); // the optimisation was deferred
      // The replaced (deleted) rows are in both indexes still, and never returned.
      const after = await hits(s, rare);
      expect(after.filter((h) => h.side === 'words')).toEqual([]);
      expect(after.filter((h) => oldRows.has(h._rowid))).toEqual([]);
      expect((await fullTextSearch(s, 'zephyrglyphic', undefined, 10)).map((r) => r.row.doc_id)).toEqual([docId]);
      // A misremembered form finds the new row through its n-grams.
      expect((await charGramSearch(s, 'zephyrglyph', undefined, 10)).map((r) => r.row.doc_id)).toContain(docId);
    });
  });

  it(`optimises once ${DEFERRED_VERSIONS_MAX} versions are on disk: then every row is indexed, one version on disk`, async () => {
    const files = [...markdownFiles(archive).keys()].sort();
    let settled = false;
    for (let i = 0; i <= DEFERRED_VERSIONS_MAX && !settled; i++) {
      appendFileSync(path.join(archive, files[i % files.length] ?? ''), `\n\nOne more line, edit ${i}.\n`);
      await ingest({ roots: [archive], index, embedder: null });
      const versions = await withSnapshot((s) => s.chunks.listVersions());
      expect(versions.length).toBeLessThanOrEqual(DEFERRED_VERSIONS_MAX);
      settled = versions.length === 1;
    }
    expect(settled).toBe(true);
    expect(await withSnapshot(unindexedRows)).toBe(0);
  });
});
