/**
 * Hostile archives and files that change under a running ingest (issue 13, D3 D4 D5 D7 D12): the run
 * always finishes, each problem is one warning naming the file, and the index stays intact — every chunk
 * verbatim in its file, unreadable documents in their last indexed state, vanished ones gone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport } from '../../src/ingest/ingest.js';
import { loadDocumentSource } from '../../src/index/document-source.js';
import { IndexStore } from '../../src/index/store.js';
import { CLI, CORPUS } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';
import { ALIAS_BOMB, nestedList } from './fixtures.js';
import { chunkCards } from '../../src/index/chunk-search.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workDir(): { root: string; index: string } {
  const work = tempDir('priors-hostile-');
  dirs.push(work);
  const root = path.join(work, 'archive');
  mkdirSync(root);
  return { root, index: path.join(work, 'index') };
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

/** Documents in the index, after checking that every chunk of a readable file is verbatim at its offsets. */
async function intactDocuments(index: string, unreadable: readonly string[] = []): Promise<string[]> {
  const store = await IndexStore.open(index);
  try {
    const docs = await store.listDocuments();
    const chunks = await store.read(chunkCards);
    for (const d of docs) {
      const mine = chunks.filter((c) => c.doc_id === d.doc_id);
      expect(mine.length, d.doc_id).toBe(d.chunk_count);
      if (unreadable.includes(d.doc_id)) continue;
      const src = loadDocumentSource(d);
      for (const c of mine) expect(src.text.slice(c.start, c.end), d.doc_id).toBe(c.text);
    }
    expect(new Set(chunks.map((c) => c.doc_id))).toEqual(new Set(docs.map((d) => d.doc_id)));
    return docs.map((d) => d.doc_id).sort();
  } finally {
    store.close();
  }
}

function goodFiles(root: string): void {
  write(root, 'a.md', '# Alpha\n\nThe first post, about calibration curves.\n');
  write(root, 'notes/b.md', '# Beta\n\nA second post, about reward models.\n');
  write(root, 'notes/c.md', '# Gamma\n\nA third post, about evaluation sets.\n');
}

describe('an archive of hostile files', () => {
  it('is indexed in seconds, with one warning per hostile file and every good document intact', async () => {
    const { root, index } = workDir();
    goodFiles(root);
    write(root, 'bomb.md', ALIAS_BOMB);
    write(root, 'loop.md', '---\ntitle: Loop\na: &a [*a]\n---\nA self-referencing alias.\n');
    write(root, 'deep.md', nestedList(2000));
    write(
      root,
      'export.jsonl',
      `{"id":"r1","text":"A record."}\n{"id":"r2","text":"Deep.","x":${'['.repeat(50_000)}${']'.repeat(50_000)}}\n`,
    );
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    symlinkSync('/dev/zero', path.join(root, 'zero.md'));
    const t = performance.now();
    const report = await ingest({ roots: [root], index, embedder: null });
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(report.warnings).toEqual([
      expect.stringMatching(/^archive\/bomb\.md:1: front matter fields expand to more than 10000 values/),
      expect.stringMatching(/^archive\/deep\.md:\d+: lists or quotes nest more than 32 levels deep; indexed as plain paragraphs$/),
      expect.stringMatching(/^archive\/export\.jsonl:2: record fields nest deeper than 32 levels/),
      expect.stringMatching(/^archive\/loop\.md:1: front matter fields nest deeper than 32 levels/),
    ]);
    for (const w of report.warnings) expect(w).not.toContain('\n');
    // The FIFO and the link to a device are not regular files: discovery passes them by.
    expect(await intactDocuments(index)).toEqual([
      'archive/a.md',
      'archive/bomb.md',
      'archive/deep.md',
      'archive/loop.md',
      'archive/notes/b.md',
      'archive/notes/c.md',
      'r1',
      'r2',
    ]);
  });

  it('refuses a root that is a FIFO or a device with a warning instead of hanging', async () => {
    const { root, index } = workDir();
    goodFiles(root);
    const fifo = path.join(root, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(root, 'zero.md');
    symlinkSync('/dev/zero', zero);
    const report = await ingest({ roots: [path.join(root, 'a.md'), fifo, zero], index, embedder: null });
    expect(report.warnings).toEqual([
      'pipe.md/pipe.md: skipped, not a regular file (a device, FIFO or socket)',
      'zero.md/zero.md: skipped, not a regular file (a device, FIFO or socket)',
    ]);
    // Ids take the root's name, here the file's stem.
    expect(await intactDocuments(index)).toEqual(['a/a.md']);
  });
});

describe('warnings with several roots', () => {
  it('name the root of the file, as document ids do, also when an unchanged file repeats its warning', async () => {
    const { root, index } = workDir();
    const blog = path.join(root, 'blog');
    const book = path.join(root, 'book');
    for (const r of [blog, book]) {
      write(r, 'good.md', '# Good\n\nA paragraph about calibration.\n');
      write(r, 'empty.md', '');
    }
    write(book, 'ch1.md', '---\ntitle: "Chapter "One""\n---\n\nText.\n');
    const expected = [
      'blog/empty.md: skipped, empty file',
      'book/ch1.md:2: front matter is not valid YAML',
      'book/empty.md: skipped, empty file',
    ];
    const named = (warnings: string[]) => warnings.map((w) => w.replace(/(YAML).*$/, '$1')).sort();
    const first = await ingest({ roots: [blog, book], index, embedder: null });
    expect(named(first.warnings)).toEqual(expected);
    // The second run reads nothing again: ch1.md's warning is the one stored with its document.
    const again = await ingest({ roots: [blog, book], index, embedder: null });
    expect(again).toMatchObject({ added: 0, updated: 0 });
    expect(named(again.warnings)).toEqual(expected);
  });
});

/** An ingest during which `strike` changes the archive once, right after the first file was read. */
function ingestStruck(root: string, index: string, strike: () => void): Promise<IngestReport> {
  let struck = false;
  return ingest({
    roots: [root],
    index,
    embedder: null,
    onProgress: () => {
      if (!struck) strike();
      struck = true;
    },
  });
}

describe('files that change while an ingest runs (D5)', () => {
  it('a file deleted, replaced by a folder or by a FIFO mid-run: warnings, the run finishes, the index mirrors what is left', async () => {
    const { root, index } = workDir();
    goodFiles(root);
    write(root, 'notes/d.md', '# Delta\n\nA fourth post, about preference data.\n');
    await ingest({ roots: [root], index, embedder: null });
    expect(await intactDocuments(index)).toEqual(['archive/a.md', 'archive/notes/b.md', 'archive/notes/c.md', 'archive/notes/d.md']);

    const report = await ingestStruck(root, index, () => {
      rmSync(path.join(root, 'notes/b.md'));
      rmSync(path.join(root, 'notes/c.md'));
      mkdirSync(path.join(root, 'notes/c.md'));
      rmSync(path.join(root, 'notes/d.md'));
      execFileSync('mkfifo', [path.join(root, 'notes/d.md')]);
    });
    expect(report.warnings).toEqual([
      'archive/notes/b.md: skipped, no such file (gone since the scan); it leaves the index',
      'archive/notes/c.md: skipped, a folder, not a file (gone since the scan); it leaves the index',
      'archive/notes/d.md: skipped, not a regular file (a device, FIFO or socket)',
    ]);
    expect(report).toMatchObject({ removed: 2, unchanged: 1, skipped: 3 });
    // d.md keeps its last indexed state (its FIFO can't be read back, so it is not checked verbatim).
    expect(await intactDocuments(index, ['archive/notes/d.md'])).toEqual(['archive/a.md', 'archive/notes/d.md']);
  });

  it('a folder deleted between listing and reading its files is simply gone', async () => {
    const { root, index } = workDir();
    goodFiles(root);
    await ingest({ roots: [root], index, embedder: null });
    const report = await ingestStruck(root, index, () => rmSync(path.join(root, 'notes'), { recursive: true }));
    expect(
      report.warnings.every((w) =>
        /^archive\/notes\/[bc]\.md: skipped, no such file \(gone since the scan\); it leaves the index$/.test(w),
      ),
    ).toBe(true);
    expect(await intactDocuments(index)).toEqual(['archive/a.md']);
  });
});

/**
 * Permission errors need a process the kernel checks: these tests run as root, for whom chmod 000 blocks
 * nothing, so as root the ingest runs through setpriv without the capabilities that bypass file
 * permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH). It stays uid 0, so it can still read the
 * repository wherever the clone lives (another user could not inside a private temporary folder).
 */
const IS_ROOT = process.getuid?.() === 0;
const HAS_SETPRIV = spawnSync('setpriv', ['--version']).status === 0;

function runIngestUnprivileged(root: string, index: string): { status: number | null; report: IngestReport; stderr: string } {
  const args = [CLI, 'ingest', root, '--index', index, '--no-embed', '--json'];
  const r = IS_ROOT
    ? spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout || '{}') as IngestReport, stderr: r.stderr };
}

describe.skipIf(IS_ROOT && !HAS_SETPRIV)('unreadable files and folders (EACCES, D5)', () => {
  it('warn, finish with exit 0, and keep what was indexed from them', () => {
    const { root, index } = workDir();
    cpSync(CORPUS, root, { recursive: true });
    write(root, 'private/diary.md', '# Diary\n\nNot for everyone.\n');
    write(root, 'locked.md', '# Locked\n\nA post whose file will turn unreadable.\n');
    const first = runIngestUnprivileged(root, index);
    expect(first.status, first.stderr).toBe(0);
    expect(first.report.warnings).toEqual([]);

    chmodSync(path.join(root, 'private'), 0o000);
    chmodSync(path.join(root, 'locked.md'), 0o000);
    try {
      const second = runIngestUnprivileged(root, index);
      expect(second.status, second.stderr).toBe(0);
      expect(second.report.warnings).toEqual([
        'archive/private: skipped, permission denied; what was indexed from it stays as it was',
        'archive/locked.md: skipped, permission denied',
      ]);
      expect(second.report).toMatchObject({ removed: 0, added: 0, updated: 0, documents: first.report.documents });
    } finally {
      chmodSync(path.join(root, 'private'), 0o755);
      chmodSync(path.join(root, 'locked.md'), 0o644);
    }
    const third = runIngestUnprivileged(root, index);
    expect(third.report).toMatchObject({ warnings: [], removed: 0, unchanged: first.report.documents });
  });
});
