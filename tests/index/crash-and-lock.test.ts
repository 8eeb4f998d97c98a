import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../src/index/store.js';
import { CLI, MODEL_DIR, SHARED_DATA } from '../helpers/paths.js';
import { TINY_MODEL, tempDir } from '../helpers/sample-index.js';

const baseArgs = (archive: string, index: string) => [
  'ingest',
  archive,
  '--index',
  index,
  '--model',
  TINY_MODEL,
  '--model-dir',
  MODEL_DIR,
  '--json',
];

function ingestSync(archive: string, index: string) {
  return spawnSync(process.execPath, [CLI, ...baseArgs(archive, index)], { encoding: 'utf8' });
}

function versions(index: string): number {
  const dir = path.join(index, 'chunks.lance', '_versions');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

let work: string;
let archive: string;

beforeAll(() => {
  work = tempDir();
  archive = path.join(work, 'interconnects');
  cpSync(path.join(SHARED_DATA, 'interconnects', 'public'), archive, { recursive: true });
});

/** Every file of the archive, by docId. */
function filesByDocId(): Map<string, string> {
  const out = new Map<string, string>();
  for (const year of readdirSync(archive)) {
    for (const f of readdirSync(path.join(archive, year))) out.set(`${year}/${f}`, readFileSync(path.join(archive, year, f), 'utf8'));
  }
  return out;
}

describe('ingest lock', { timeout: 240_000 }, () => {
  it('refuses a second ingest while one runs, and takes over a lock left by a dead process', async () => {
    const index = path.join(work, 'lock-index');
    const first = spawn(process.execPath, [CLI, ...baseArgs(archive, index)], { stdio: 'ignore' });
    // Wait until the first ingest holds the lock.
    const lock = path.join(index, '.priors-ingest.lock');
    for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
    const second = ingestSync(archive, index);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/^error: index at .* is locked by another ingest \(pid \d+\)/m);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // The killed process left its lock behind; the next ingest takes it over and completes.
    expect(existsSync(lock)).toBe(true);
    const third = ingestSync(archive, index);
    expect(third.status, third.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('SIGKILL mid-ingest', { timeout: 240_000 }, () => {
  it('leaves every document in its old or its new state, and the next ingest completes', async () => {
    const index = path.join(work, 'crash-index');
    expect(ingestSync(archive, index).status).toBe(0);
    const oldText = filesByDocId();
    // Change every post so a re-ingest rewrites all of them in several batches.
    for (const [docId] of oldText) appendFileSync(path.join(archive, docId), '\n\nEdited after the first ingest: a new closing line.\n');
    const newText = filesByDocId();

    const startVersions = versions(index);
    const child = spawn(process.execPath, [CLI, ...baseArgs(archive, index)], { stdio: 'ignore' });
    // Kill as soon as the first batch has been committed (a new table version exists) — mid-run.
    for (let i = 0; i < 2000 && versions(index) <= startVersions; i++) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = await IndexStore.open(index, { create: false });
    try {
      const chunks = (await store.chunks.query().select(['doc_id', 'chunk_index', 'text']).toArray()) as {
        doc_id: string;
        chunk_index: number;
        text: string;
      }[];
      const byDoc = new Map<string, { chunk_index: number; text: string }[]>();
      for (const c of chunks) byDoc.set(c.doc_id, [...(byDoc.get(c.doc_id) ?? []), c]);
      let inNewState = 0;
      for (const [docId, list] of byDoc) {
        const indexes = list.map((c) => c.chunk_index).sort((a, b) => a - b);
        expect(indexes, docId).toEqual(indexes.map((_, i) => i));
        const allOld = list.every((c) => oldText.get(docId)!.includes(c.text));
        const allNew = list.every((c) => newText.get(docId)!.includes(c.text));
        const hasNewLine = list.some((c) => c.text.includes('Edited after the first ingest'));
        expect(allOld || allNew, `${docId} mixes old and new chunks`).toBe(true);
        if (hasNewLine) inNewState++;
      }
      expect(byDoc.size).toBe(oldText.size);
      expect(inNewState).toBeLessThan(oldText.size);
    } finally {
      store.close();
    }
    const resumed = ingestSync(archive, index);
    expect(resumed.status, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as { updated: number; documents: number };
    expect(report.documents).toBe(oldText.size);
    expect(report.updated).toBeGreaterThan(0);
  });
});
