import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditIndex, cardProblems } from '../../scripts/lib/index-integrity.js';
import { ingest } from '../../src/ingest/ingest.js';
import { chunkCards } from '../../src/index/chunk-search.js';
import { HIT_FIELDS, LISTED_FIELDS, TYPED_FIELDS } from '../../src/index/schema.js';
import { IndexStore } from '../../src/index/store.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

/**
 * A chunk is stored twice over: its cards (what searches read) and the typed columns filters test. Both come from one
 * row in the writer; this holds them to each other through every kind of change an ingest makes (LanceDB on disk).
 */

let work: string;
let archive: string;
let index: string;

const INTERVIEW = 'posts/2024/2024-05-14-interview-ines-okafor.md';
const DELETED = 'posts/2023/2023-06-06-the-benchmark-treadmill.md';

beforeAll(() => {
  work = tempDir();
  archive = path.join(work, 'archive');
  cpSync(CORPUS, archive, { recursive: true });
  // The corpus's README describes it and is no document of it (ingest skips it; the audit counts every file).
  rmSync(path.join(archive, 'README.md'));
  index = path.join(work, 'index');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (rebuild = false) => ingest({ roots: [archive], index, embedder: null, rebuild });

/** The index's chunks as searches read them, after checking cards, columns and files agree. */
async function checked(): Promise<Awaited<ReturnType<typeof chunkCards>>> {
  const audit = await auditIndex(index, archive);
  expect(audit.problems).toEqual([]);
  const store = await IndexStore.open(index);
  try {
    expect(await cardProblems(store)).toEqual([]);
    const chunks = await store.read(chunkCards);
    expect(chunks).toHaveLength(audit.chunks);
    return chunks;
  } finally {
    store.close();
  }
}

describe('the chunk cards and typed columns', () => {
  it('agree on every chunk of a new index, whose cards hold every field a search reads', async () => {
    await run();
    const chunks = await checked();
    expect(chunks.length).toBeGreaterThan(40);
    for (const c of chunks) expect(Object.keys(c).sort()).toEqual([...HIT_FIELDS, 'text', ...LISTED_FIELDS].sort());
    // Every typed column is filled somewhere (the interview has speakers, posts have dates and tags).
    for (const f of TYPED_FIELDS)
      expect(
        chunks.some((c) => c[f] !== null && c[f] !== ''),
        f,
      ).toBe(true);
  });

  it('agree after an edit, a deletion and a rebuild', async () => {
    const interview = path.join(archive, INTERVIEW);
    writeFileSync(interview, readFileSync(interview, 'utf8').replace(/^title: .*$/m, 'title: "An interview, renamed"'));
    rmSync(path.join(archive, DELETED));
    const edit = await run();
    expect(edit).toMatchObject({ updated: 1, removed: 1 });
    const chunks = await checked();
    expect(chunks.filter((c) => c.doc_id === `archive/${INTERVIEW}`).every((c) => c.title === 'An interview, renamed')).toBe(true);
    expect(chunks.some((c) => c.doc_id === `archive/${DELETED}`)).toBe(false);
    await run(true);
    expect(await checked()).toHaveLength(chunks.length);
  });
});
