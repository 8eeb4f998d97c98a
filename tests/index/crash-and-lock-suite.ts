/**
 * Crash and lock behaviour of `priors ingest` as whole processes: a second ingest is refused while one
 * runs, a dead process's lock is taken over, and a SIGKILL mid-ingest leaves every document in its old
 * or its new state. The default tier runs it on copies of the sample corpus (enough chunks for several
 * write batches); the slow tier on the real archive.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../src/index/store.js';
import { CLI, MODEL_DIR } from '../helpers/paths.js';
import { TEST_MODEL, tempDir } from '../helpers/sample-index.js';
import { chunkCards } from '../../src/index/chunk-search.js';

const baseArgs = (archive: string, index: string) => [
  'ingest',
  archive,
  '--index',
  index,
  '--model',
  TEST_MODEL,
  '--model-dir',
  MODEL_DIR,
  '--json',
];

function ingestSync(archive: string, index: string) {
  return spawnSync(process.execPath, [CLI, ...baseArgs(archive, index)], { encoding: 'utf8' });
}

function versions(index: string): number {
  const dir = path.join(index, 'chunks_1.lance', '_versions');
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

/** Every file of the archive, by docId (`<root name>/<path>`: the root is named after the archive's folder). */
function filesByDocId(archive: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readdirSync(archive, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(archive, rel);
    if (statSync(file).isFile()) out.set(`${path.basename(archive)}/${rel.split(path.sep).join('/')}`, readFileSync(file, 'utf8'));
  }
  return out;
}

/** The file a docId names. */
function fileOf(archive: string, docId: string): string {
  return path.join(archive, docId.slice(docId.indexOf('/') + 1));
}

/** `makeArchive(dir)` writes a private, editable archive into `dir`. */
export function crashAndLockSuite(makeArchive: (dir: string) => void, timeout: number): void {
  let work: string;
  let archive: string;

  beforeAll(() => {
    work = tempDir();
    archive = path.join(work, 'archive');
    makeArchive(archive);
  });

  describe('ingest lock', { timeout }, () => {
    it('refuses a second ingest while one runs, and takes over a lock left by a dead process', async () => {
      const index = path.join(work, 'lock-index');
      const first = spawn(process.execPath, [CLI, ...baseArgs(archive, index)], { stdio: 'ignore' });
      // Wait until the first ingest holds the lock.
      const lock = path.join(index, '.priors-ingest.lock');
      for (let i = 0; i < 400 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
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

  describe('SIGKILL mid-ingest', { timeout }, () => {
    it('leaves every document in its old or its new state, and the next ingest completes', async () => {
      const index = path.join(work, 'crash-index');
      expect(ingestSync(archive, index).status).toBe(0);
      const oldText = filesByDocId(archive);
      // Change every post so a re-ingest rewrites all of them in several batches.
      for (const [docId] of oldText) appendFileSync(fileOf(archive, docId), '\n\nEdited after the first ingest: a new closing line.\n');
      const newText = filesByDocId(archive);

      const startVersions = versions(index);
      const child = spawn(process.execPath, [CLI, ...baseArgs(archive, index)], { stdio: 'ignore' });
      // Kill as soon as the first batch has been committed (a new table version exists) — mid-run.
      for (let i = 0; i < 4000 && versions(index) <= startVersions; i++) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const store = await IndexStore.open(index);
      try {
        const chunks = await store.read(chunkCards);
        const byDoc = new Map<string, { chunk_index: number; text: string }[]>();
        for (const c of chunks) byDoc.set(c.doc_id, [...(byDoc.get(c.doc_id) ?? []), c]);
        let inNewState = 0;
        for (const [docId, list] of byDoc) {
          const indexes = list.map((c) => c.chunk_index).sort((a, b) => a - b);
          expect(indexes, docId).toEqual(indexes.map((_, i) => i));
          const allOld = list.every((c) => (oldText.get(docId) ?? '').includes(c.text));
          const allNew = list.every((c) => (newText.get(docId) ?? '').includes(c.text));
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
}
