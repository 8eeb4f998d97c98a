import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import type { CommitPoint } from '../../src/index/writer.js';
import { IndexStore } from '../../src/index/store.js';
import { auditIndex, markdownFiles } from '../../scripts/lib/index-integrity.js';
import { CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';
import { chunkCards } from '../../src/index/chunk-search.js';

/**
 * Stop an ingest at every commit point (the writer's injectable hook), change the files again (revert the
 * edit, delete the file, or leave it), run ingest again, and audit: readers saw each document entirely old
 * or entirely new, and the index ends up mirroring the files with no trace of deleted or reverted text.
 */

class Crash extends Error {}

let work: string;
let baseArchive: string;
let baseIndex: string;
let edited: string;
let deleted: string;
let points: CommitPoint[];

const ORIGINAL_MARK = 'Marker of the original version: wombat harbor.';
const DELETED_MARK = 'Marker of the deleted file: platypus lagoon.';
const editMark = (i: number) => `Marker of edit ${i}: zebra quokka ${i}.`;

/** Edit one file, delete another, add a new one. */
function changeFiles(archive: string, i: number): void {
  appendFileSync(path.join(archive, edited), `\n\n${editMark(i)}\n`);
  rmSync(path.join(archive, deleted));
  mkdirSync(path.join(archive, 'new'), { recursive: true });
  writeFileSync(path.join(archive, 'new', `note-${i}.md`), `---\ntitle: New note ${i}\n---\n\nA new note written before crash ${i}.\n`);
}

beforeAll(async () => {
  work = tempDir();
  baseArchive = path.join(work, 'archive');
  cpSync(path.join(CORPUS, 'posts'), baseArchive, { recursive: true });
  [edited, deleted] = [...markdownFiles(baseArchive).keys()].sort() as [string, string];
  appendFileSync(path.join(baseArchive, edited), `\n\n${ORIGINAL_MARK}\n`);
  appendFileSync(path.join(baseArchive, deleted), `\n\n${DELETED_MARK}\n`);
  baseIndex = path.join(work, 'index');
  await ingest({ roots: [baseArchive], index: baseIndex, embedder: null });
  // The commit points one changing ingest passes, in order.
  const archive = path.join(work, 'probe-archive');
  const index = path.join(work, 'probe-index');
  cpSync(baseArchive, archive, { recursive: true });
  cpSync(baseIndex, index, { recursive: true });
  changeFiles(archive, 0);
  points = [];
  // The copy is named like the copied index's root: the same collection, read from its new place.
  await ingest({ roots: [{ path: archive, name: 'archive' }], index, embedder: null, afterCommit: (p) => points.push(p) });
});

/** What a reader sees right after the crash: every document whole, in the version before or after the change. */
async function expectWholeDocuments(index: string, before: Map<string, string>, after: Map<string, string>): Promise<void> {
  const store = await IndexStore.open(index);
  try {
    const docs = await store.listDocuments();
    const chunks = await store.read(chunkCards);
    const ids = new Set(docs.map((d) => d.doc_id));
    expect(chunks.filter((c) => !ids.has(c.doc_id)).map((c) => c.doc_id)).toEqual([]);
    for (const doc of docs) {
      const mine = chunks.filter((c) => c.doc_id === doc.doc_id);
      expect(mine.length, doc.doc_id).toBe(doc.chunk_count);
      const matches = (text: string | undefined) => text !== undefined && mine.every((c) => text.slice(c.start, c.end) === c.text);
      expect(matches(before.get(doc.rel_path)) || matches(after.get(doc.rel_path)), `${doc.doc_id} mixes versions`).toBe(true);
    }
  } finally {
    store.close();
  }
}

describe('an ingest stopped at any commit point', { timeout: 300_000 }, () => {
  it('passes chunk delete, chunk add, document, manifest, optimize and clean-up commits', () => {
    expect(new Set(points)).toEqual(new Set(['chunk-delete', 'chunks', 'documents', 'manifest', 'optimize', 'cleanup']));
  });

  for (const then of ['revert', 'delete', 'keep'] as const) {
    it(`leaves readers whole documents, and the next ingest mirrors the files (${then} the edited file)`, async () => {
      const failures: string[] = [];
      for (let i = 0; i < points.length; i++) {
        const dir = path.join(work, `${then}-${i}`);
        const archive = path.join(dir, 'archive');
        const index = path.join(dir, 'index');
        cpSync(baseArchive, archive, { recursive: true });
        cpSync(baseIndex, index, { recursive: true });
        const before = markdownFiles(archive);
        changeFiles(archive, i + 1);
        const after = markdownFiles(archive);
        let seen = 0;
        const stop = (p: CommitPoint) => {
          if (seen++ === i) throw new Crash(`stopped at ${p} (#${i})`);
        };
        await expect(ingest({ roots: [{ path: archive, name: 'archive' }], index, embedder: null, afterCommit: stop })).rejects.toThrow(
          Crash,
        );
        await expectWholeDocuments(index, before, after);

        const gone = [DELETED_MARK];
        if (then === 'revert') {
          writeFileSync(path.join(archive, edited), before.get(edited) ?? '');
          gone.push(editMark(i + 1));
        } else if (then === 'delete') {
          rmSync(path.join(archive, edited));
          gone.push(editMark(i + 1), ORIGINAL_MARK);
        }
        const repaired = await ingest({ roots: [{ path: archive, name: 'archive' }], index, embedder: null });
        const audit = await auditIndex(index, archive, gone);
        failures.push(...audit.problems.map((p) => `${points[i]} #${i}: ${p}`));
        if (then === 'keep') expect(readFileSync(path.join(archive, edited), 'utf8')).toContain(editMark(i + 1));
        expect(audit.orphans).toBe(0);
        expect(audit.documents).toBe(markdownFiles(archive).size);
        // Nothing for the sweep to find: the rollback alone restored a consistent state.
        expect(repaired.notices.filter((n) => n.includes('orphan'))).toEqual([]);
        rmSync(dir, { recursive: true, force: true });
      }
      expect(failures).toEqual([]);
    });
  }
});
