import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaFileProblems } from '../../scripts/lib/index-integrity.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CommitPoint } from '../../src/index/writer.js';
import { IndexStore, readMetaFile, readMetaVersion, writeMetaFile, type MetaState } from '../../src/index/store.js';
import { Retriever } from '../../src/search/retriever.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

/**
 * The meta row kept beside the tables (`meta-<version>.json`) is read instead of the meta table only for exactly
 * the version it was written for: missing, damaged, of another version or left from a meta table that was
 * created anew, it costs the query, never a different answer.
 */

let work: string;
let archive: string;
let index: string;

const QUERY = 'open models a year behind';
const EDITED = 'posts/2023/2023-02-21-how-far-behind-open-models.md';

beforeAll(async () => {
  work = tempDir();
  archive = path.join(work, 'archive');
  cpSync(CORPUS, archive, { recursive: true });
  index = path.join(work, 'index');
  await ingest({ roots: [archive], index, embedder: null });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const metaFiles = () => readdirSync(index).filter((name) => name.startsWith('meta-'));

/** What a reader opening the index sees: its snapshot's meta state and a search's results. */
async function read(): Promise<{ version: number; state: Omit<MetaState, 'manifest'>; hits: unknown[] }> {
  const store = await IndexStore.open(index);
  try {
    const s = await store.snapshot();
    const { settings, corpusStatistics, wordList, facts, titles } = s;
    const hits = await new Retriever(store, null).search({ query: QUERY, k: 10 });
    return { version: s.metaVersion, state: { settings, corpusStatistics, wordList, facts, titles }, hits };
  } finally {
    store.close();
  }
}

/** The one meta file an ingest leaves: of the meta table's version, holding its row. */
async function publishedFile(): Promise<{ version: number; state: MetaState }> {
  const files = metaFiles();
  expect(files).toHaveLength(1);
  const version = Number(/^meta-(\d+)\.json$/.exec(files[0] ?? '')?.[1]);
  expect(version).toBe((await read()).version);
  const state = readMetaFile(index, version);
  expect(state).toEqual(await readMetaVersion(index, version));
  expect(await metaFileProblems(index)).toEqual([]);
  return { version, state: state as MetaState };
}

/** What a reader sees is the same read from the meta file as read from the meta table. */
async function expectFileReadAsTable(): Promise<void> {
  const { version, state } = await publishedFile();
  const fromFile = await read();
  rmSync(path.join(index, `meta-${version}.json`));
  expect(await read()).toEqual(fromFile);
  writeMetaFile(index, version, state);
}

/** A meta state no ingest wrote, that a reader reading it would show. */
function marked(state: MetaState): MetaState {
  return { ...state, facts: { charGrams: state.facts?.charGrams ?? false, speakers: ['Marked Speaker'] } };
}

describe('the meta file', () => {
  it('is written by each publication, replacing the previous one, and read instead of the meta table', async () => {
    const first = await publishedFile();
    appendFileSync(path.join(archive, EDITED), '\n\nA closing note on open models, added later.\n');
    await ingest({ roots: [archive], index, embedder: null });
    const second = await publishedFile();
    expect(second.version).toBeGreaterThan(first.version);
    expect(second.state.manifest).not.toEqual(first.state.manifest);
    // A reader takes the file of its version as it is: what the file says is what it sees.
    writeMetaFile(index, second.version, marked(second.state));
    expect((await read()).state.facts?.speakers).toEqual(['Marked Speaker']);
    expect(await metaFileProblems(index)).toEqual([`meta-${second.version}.json is not the meta row of its version`]);
    writeMetaFile(index, second.version, second.state);
  });

  it('missing, damaged or of another version, is passed over for the meta table with the same results', async () => {
    const { version, state } = await publishedFile();
    const file = path.join(index, `meta-${version}.json`);
    const expected = await read();
    expect(expected.hits.length).toBeGreaterThan(0);
    // A crash between the meta table's commit and the file's write.
    rmSync(file);
    expect(await read()).toEqual(expected);
    for (const damaged of ['{"settings": {"formatVersion"', 'null', '{"settings": null}', '[]']) {
      writeFileSync(file, damaged);
      expect(await read(), damaged).toEqual(expected);
    }
    // The next ingest writes it again, though it changes nothing.
    await ingest({ roots: [archive], index, embedder: null });
    expect(readMetaFile(index, version)).toEqual(state);
    rmSync(file);
    // A file of another version is never read for this one.
    writeMetaFile(index, version - 1, marked(state));
    writeMetaFile(index, version + 1, marked(state));
    expect(await read()).toEqual(expected);
    // Nor when it is the only one: the chunk table a reader opens early, at the version that file names, is a guess
    // that the meta table's version overrules.
    rmSync(path.join(index, `meta-${version - 1}.json`));
    const manifest = state.manifest as NonNullable<MetaState['manifest']>;
    writeMetaFile(index, version + 1, { ...marked(state), manifest: { ...manifest, chunks: manifest.chunks - 1 } });
    expect(await read()).toEqual(expected);
    writeMetaFile(index, version - 1, marked(state));
    // The meta table keeps only its latest version on disk.
    expect((await metaFileProblems(index)).sort()).toEqual(
      [version - 1, version + 1].map((v) => `meta-${v}.json: the meta table has no version ${v}`),
    );
    // The next publication removes them all and writes its own.
    appendFileSync(path.join(archive, EDITED), '\n\nAnother note.\n');
    await ingest({ roots: [archive], index, embedder: null });
    expect((await publishedFile()).version).toBeGreaterThan(version);
  });

  it('is kept up to date for a reader that stays open while ingests publish', async () => {
    const store = await IndexStore.open(index);
    try {
      const before = await store.snapshot();
      appendFileSync(path.join(archive, EDITED), '\n\nA third note.\n');
      await ingest({ roots: [archive], index, embedder: null });
      const { version, state } = await publishedFile();
      writeMetaFile(index, version, marked(state));
      const after = await store.snapshot();
      expect(after.metaVersion).toBe(version);
      expect(after.metaVersion).not.toBe(before.metaVersion);
      expect(after.facts.speakers).toEqual(['Marked Speaker']);
      writeMetaFile(index, version, state);
    } finally {
      store.close();
    }
  });

  it('of a meta table that was replaced is never read: --rebuild, and a meta table created anew', async () => {
    const { version, state } = await publishedFile();
    // Files a rebuild's versions would match, were they read.
    for (let v = version + 1; v <= version + 3; v++) writeMetaFile(index, v, marked(state));
    await ingest({ roots: [archive], index, embedder: null, rebuild: true });
    const rebuilt = await publishedFile();
    expect(rebuilt.state.manifest?.generation).toBe((state.manifest?.generation ?? 0) + 1);
    await expectFileReadAsTable();
    // A meta table created anew (its folder lost) restarts its versions at 1: files of the old one must go first.
    for (let v = 1; v <= rebuilt.version + 3; v++) writeMetaFile(index, v, marked(rebuilt.state));
    rmSync(path.join(index, 'meta.lance'), { recursive: true });
    // Stopped right after its first commit, the new meta table's version 1, before writing its file: the ingest
    // has removed them already.
    const stop = (point: CommitPoint) => {
      if (point === 'manifest') throw new Error('stopped');
    };
    await expect(ingest({ roots: [archive], index, embedder: null, afterCommit: stop })).rejects.toThrow('stopped');
    expect(metaFiles()).toEqual([]);
    expect((await read()).state.facts?.speakers).not.toContain('Marked Speaker');
    expect(await metaFileProblems(index)).toEqual([]);
    await ingest({ roots: [archive], index, embedder: null });
    const created = await publishedFile();
    expect(created.version).toBeLessThanOrEqual(rebuilt.version + 3);
    expect(created.state.facts?.speakers).not.toContain('Marked Speaker');
    await expectFileReadAsTable();
  });

  it('is not written to, nor read from, places it cannot be', async () => {
    const { state } = await publishedFile();
    expect(() => writeMetaFile(path.join(work, 'missing', 'folder'), 1, state)).not.toThrow();
    expect(readMetaFile('s3://bucket/index', 1)).toBeNull();
    expect(readFileSync(path.join(index, metaFiles()[0] ?? ''), 'utf8')).toBe(JSON.stringify(state));
  });
});
