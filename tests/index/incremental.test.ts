import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelMismatchError } from '../../src/core/errors.js';
import type { Embedder } from '../../src/embed/embedder.js';
import { loadEmbedder } from '../../src/embed/load-embedder.js';
import { ingest } from '../../src/ingest/ingest.js';
import { IndexStore } from '../../src/index/store.js';
import { CORPUS, MODEL_DIR } from '../helpers/paths.js';
import { OTHER_MODEL, TEST_MODEL, tempDir } from '../helpers/sample-index.js';

let tiny: Embedder;
let work: string;
let archive: string;
let index: string;

beforeAll(async () => {
  tiny = await loadEmbedder({ backend: 'transformers', model: TEST_MODEL, modelDir: MODEL_DIR });
  work = tempDir();
  archive = path.join(work, 'archive');
  cpSync(CORPUS, archive, { recursive: true });
  index = path.join(work, 'index');
});

afterAll(async () => {
  await tiny.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function docs(): Promise<Map<string, number>> {
  const store = await IndexStore.open(index);
  try {
    const rows = await store.listDocuments();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.doc_id, r.chunk_count);
    const chunkRows = (await store.read((s) => s.chunks.query().select(['doc_id']).toArray())) as { doc_id: string }[];
    // The documents table and the chunks table agree on every document.
    for (const [id, n] of counts) expect(chunkRows.filter((c) => c.doc_id === id).length, id).toBe(n);
    expect(new Set(chunkRows.map((c) => c.doc_id))).toEqual(new Set(counts.keys()));
    return counts;
  } finally {
    store.close();
  }
}

describe('incremental ingest', () => {
  it('indexes the sample corpus, then a re-run does nothing', async () => {
    const first = await ingest({ roots: [archive], index, embedder: tiny });
    expect(first.added).toBeGreaterThanOrEqual(12);
    expect(first.chunks).toBeGreaterThan(first.added);
    const again = await ingest({ roots: [archive], index, embedder: tiny });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: first.added, chunksWritten: 0 });
    expect((await docs()).size).toBe(first.added);
  });

  it('re-embeds only a changed file, drops a deleted one, adds a new one', async () => {
    const before = await docs();
    const [victim, edited] = [...before.keys()].sort();
    // Ids are `<root name>/<path>`; the root is named after its folder, `archive`.
    const file = (id: string) => path.join(archive, id.replace(/^archive\//, ''));
    rmSync(file(victim!));
    appendFileSync(file(edited!), '\n\n## A new section\n\nA freshly written paragraph about calibration curves.\n');
    mkdirSync(path.join(archive, 'notes'), { recursive: true });
    writeFileSync(
      path.join(archive, 'notes', 'new.md'),
      '---\ntitle: New note\ndate: 2025-10-01\n---\n\nA short new note about evaluation.\n',
    );
    const r = await ingest({ roots: [archive], index, embedder: tiny });
    expect(r).toMatchObject({ added: 1, updated: 1, removed: 1, unchanged: before.size - 2 });
    const after = await docs();
    expect(after.has(victim!)).toBe(false);
    expect(after.has('archive/notes/new.md')).toBe(true);
  });

  it('an index opened before an ingest sees what the ingest committed (serve and mcp need no restart)', async () => {
    const reader = await IndexStore.open(index);
    try {
      const before = (await reader.listDocuments()).length;
      writeFileSync(path.join(archive, 'notes', 'later.md'), '---\ntitle: Later note\n---\n\nWritten while the server was running.\n');
      await ingest({ roots: [archive], index, embedder: tiny });
      expect((await reader.listDocuments()).length).toBe(before + 1);
      expect(await reader.read((s) => s.chunks.countRows("doc_id = 'archive/notes/later.md'"))).toBe(1);
    } finally {
      reader.close();
    }
  });

  it('skips bad files with a warning naming them and keeps going', async () => {
    writeFileSync(path.join(archive, 'empty.md'), '');
    writeFileSync(path.join(archive, 'binary.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    writeFileSync(path.join(archive, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]));
    writeFileSync(path.join(archive, 'big.md'), `# Big\n\n${'word '.repeat(300_000)}`);
    const r = await ingest({ roots: [archive], index, embedder: tiny, maxFileBytes: 1024 * 1024 });
    expect(r.skipped).toBe(4);
    expect(r.warnings.join('\n')).toMatch(/empty\.md: skipped, empty file/);
    expect(r.warnings.join('\n')).toMatch(/binary\.md: skipped, binary/);
    expect(r.warnings.join('\n')).toMatch(/latin1\.txt: skipped, not valid UTF-8/);
    expect(r.warnings.join('\n')).toMatch(/big\.md: skipped, \d+ bytes is over/);
    expect(r.removed).toBe(0);
    for (const f of ['empty.md', 'binary.md', 'latin1.txt', 'big.md']) rmSync(path.join(archive, f));
  });

  it('refuses another model without --rebuild, and rebuilds with it', async () => {
    const stat = await loadEmbedder({ backend: 'transformers', model: OTHER_MODEL, modelDir: MODEL_DIR });
    try {
      await expect(ingest({ roots: [archive], index, embedder: stat })).rejects.toThrow(ModelMismatchError);
      await expect(ingest({ roots: [archive], index, embedder: stat })).rejects.toThrow(/--rebuild/);
      const r = await ingest({ roots: [archive], index, embedder: stat, rebuild: true });
      expect(r.model).toContain(OTHER_MODEL);
      expect(r.added).toBe((await docs()).size);
    } finally {
      await stat.dispose();
    }
  });

  it('builds a full-text-only index without a model', async () => {
    const ftsIndex = path.join(work, 'fts-only');
    const r = await ingest({ roots: [archive], index: ftsIndex, embedder: null });
    expect(r.model).toMatch(/full-text only/);
    expect(r.chunks).toBeGreaterThan(0);
  });
});
