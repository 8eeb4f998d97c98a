import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireIngestLock } from '../../src/index/lock.js';
import { ingest } from '../../src/ingest/ingest.js';
import { ingestArchive } from '../../src/tools/ingest.js';
import { callTool } from '../../src/tools/tool.js';
import { searchTool } from '../../src/tools/search.js';
import { collect, spawnPriors, waitFor } from '../helpers/cli-process.js';
import { MODEL_DIR } from '../helpers/paths.js';
import { sampleContext, TEST_MODEL, tempDir } from '../helpers/sample-index.js';

/** Save to searchable, with the 300 ms debounce: the test allows this much on a loaded 2-core machine. */
const FOLLOW_MS = 8_000;

const children: ChildProcess[] = [];

function priors(args: string[]): ChildProcess {
  const child = spawnPriors(args);
  children.push(child);
  return child;
}

function post(title: string, body: string): string {
  return `---\ntitle: ${title}\ndate: 2024-05-01\n---\n\n${body}\n`;
}

/** A small archive of its own (the sample corpus must stay untouched). */
function makeArchive(): { dir: string; index: string } {
  const base = tempDir('priors-watch-');
  const dir = path.join(base, 'notes');
  mkdirSync(path.join(dir, '2024'), { recursive: true });
  writeFileSync(path.join(dir, '2024', 'alpha.md'), post('Alpha', 'Alpha is about zebras crossing the savanna.'));
  writeFileSync(path.join(dir, '2024', 'beta.md'), post('Beta', 'Beta is about lighthouses on rocky coasts.'));
  return { dir, index: path.join(base, 'index') };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

type WatchEvent = { event: string; changed?: string[] | null; added?: number; updated?: number; removed?: number; warnings?: string[] };

function events(out: string): WatchEvent[] {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as WatchEvent);
}

describe('priors ingest --watch', () => {
  it('follows edits, new files, deletions and a new folder; survives a bad file; leaves the lock free between batches; stops on SIGINT', async () => {
    const { dir, index } = makeArchive();
    const run = collect(priors(['ingest', dir, '--index', index, '--model', TEST_MODEL, '--model-dir', MODEL_DIR, '--watch', '--json']));
    await waitFor(() => (events(run.out()).some((e) => e.event === 'watching') ? true : null), 60_000, 'the watch to start');
    const first = events(run.out()).find((e) => e.event === 'ingest')!;
    expect(first).toMatchObject({ changed: null, added: 2 });

    const ctx = sampleContext(index);
    const docsFor = async (query: string) => {
      const out = await callTool(searchTool, ctx, { query, mode: 'bm25', k: 10 });
      return out.results.map((r) => r.docId).sort();
    };
    /** Wait until a search for `query` returns exactly `docIds`; the time from the save it took. */
    const follows = async (query: string, docIds: string[], saved: number) =>
      waitFor(
        async () => (JSON.stringify(await docsFor(query)) === JSON.stringify(docIds) ? Date.now() - saved : null),
        FOLLOW_MS,
        `"${query}" → ${docIds}`,
      );

    try {
      expect(await docsFor('zebras')).toEqual(['notes/2024/alpha.md']);
      const latencies: number[] = [];

      // Edit: the new words are found, the old ones no longer.
      let t = Date.now();
      writeFileSync(path.join(dir, '2024', 'alpha.md'), post('Alpha', 'Alpha is now about giraffes under acacia trees.'));
      latencies.push(await follows('giraffes', ['notes/2024/alpha.md'], t));
      expect(await docsFor('zebras')).toEqual([]);

      // A new file in a folder that did not exist when the watch started.
      t = Date.now();
      mkdirSync(path.join(dir, '2025', 'drafts'), { recursive: true });
      writeFileSync(path.join(dir, '2025', 'drafts', 'gamma.md'), post('Gamma', 'Gamma muses on lighthouses and fog.'));
      latencies.push(await follows('lighthouses', ['notes/2024/beta.md', 'notes/2025/drafts/gamma.md'], t));

      // Deletion.
      t = Date.now();
      rmSync(path.join(dir, '2024', 'beta.md'));
      latencies.push(await follows('lighthouses', ['notes/2025/drafts/gamma.md'], t));

      // A bad file is one warning, and the next save is still followed.
      writeFileSync(path.join(dir, '2025', 'broken.md'), Buffer.from([0x00, 0x01, 0x02, 0xff]));
      const warned = await waitFor(
        () => events(run.out()).find((e) => e.event === 'ingest' && e.warnings?.some((w) => w.includes('broken.md'))) ?? null,
        FOLLOW_MS,
        'the warning about broken.md',
      );
      expect(warned.warnings).toEqual(['notes/2025/broken.md: skipped, binary file (NUL bytes)']);
      const batches = () => events(run.out()).filter((e) => e.event === 'ingest').length;
      const before = batches();
      t = Date.now();
      writeFileSync(path.join(dir, '2025', 'drafts', 'gamma.md'), post('Gamma', 'Gamma now muses on pelicans.'));
      latencies.push(await follows('pelicans', ['notes/2025/drafts/gamma.md'], t));
      // Searchable once published; the batch's report follows when its clean-up is done.
      await waitFor(() => (batches() > before ? true : null), FOLLOW_MS, 'the batch report');
      // The same bad file is not reported again by later batches.
      expect(events(run.out()).filter((e) => e.warnings?.some((w) => w.includes('broken.md')))).toHaveLength(1);

      // Between batches the watch holds no lock: a manual ingest of the same index runs (and changes nothing).
      const manual = await ingestArchive({ roots: [dir], index, model: { backend: 'transformers', model: null, modelDir: MODEL_DIR } });
      expect(manual).toMatchObject({ added: 0, updated: 0, removed: 0 });

      console.log(`ingest --watch: save to searchable in ${latencies.join(', ')} ms (debounce 300 ms)`);
      expect(run.err()).toBe('');
    } finally {
      await ctx.close();
    }
    const child = children[children.length - 1]!;
    child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('prints one line per batch, never reacts to its own index inside the root, and refuses --strict', async () => {
    const { dir } = makeArchive();
    const index = path.join(dir, 'index');
    const strict = collect(priors(['ingest', dir, '--index', index, '--no-embed', '--watch', '--strict']));
    expect(await strict.exit).toBe(2);
    expect(strict.err()).toMatch(/--strict .* --watch|use one or the other/);

    const run = collect(priors(['ingest', dir, '--index', index, '--no-embed', '--watch']));
    await waitFor(() => (run.out().includes('watching notes') ? true : null), 60_000, 'the watch to start');
    writeFileSync(path.join(dir, '2024', 'delta.md'), post('Delta', 'Delta.'));
    const line = await waitFor(
      () => /^\d\d:\d\d:\d\d .*delta\.md: 1 added · 3 documents · [\d.]+ s$/m.exec(run.out())?.[0] ?? null,
      FOLLOW_MS,
      'the batch line',
    );
    // Named by its document id: root name and path in the root.
    expect(line).toContain(' notes/2024/delta.md: 1 added');
    // The index's own writes (inside the watched folder) start no batch.
    await new Promise((r) => setTimeout(r, 1500));
    expect(run.out().match(/^\d\d:\d\d:\d\d /gm)).toHaveLength(1);
    children[children.length - 1]!.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('a batch that finds the index locked by another ingest says so and runs once the lock is free', async () => {
    const { dir, index } = makeArchive();
    const run = collect(priors(['ingest', dir, '--index', index, '--no-embed', '--watch', '--json']));
    await waitFor(() => (events(run.out()).some((e) => e.event === 'watching') ? true : null), 60_000, 'the watch to start');
    // Another ingest (this test process) holds the index.
    const release = acquireIngestLock(index);
    writeFileSync(path.join(dir, '2024', 'zeta.md'), post('Zeta', 'Zeta counts puffins.'));
    const locked = await waitFor(() => events(run.out()).find((e) => e.event === 'error') ?? null, FOLLOW_MS, 'the lock error');
    expect(locked).toMatchObject({ retrying: true, message: expect.stringMatching(/is locked by another ingest \(pid \d+\)/) });
    release();
    const done = await waitFor(
      () => events(run.out()).find((e) => e.event === 'ingest' && e.changed?.some((c) => c.endsWith('zeta.md'))) ?? null,
      FOLLOW_MS,
      'the batch after the lock',
    );
    expect(done).toMatchObject({ added: 1 });
    children[children.length - 1]!.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });
});

describe('priors serve --watch', () => {
  it('ingests the roots, then searches over HTTP follow saved files', async () => {
    const { dir, index } = makeArchive();
    // Remember the root first (as a user's earlier `priors ingest` would), then serve with --watch.
    await ingest({ roots: [dir], index, embedder: null });
    const run = collect(priors(['serve', '--port', '0', '--index', index, '--watch']));
    const url = await waitFor(() => /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.out())?.[1] ?? null, 60_000, 'the server URL');
    await waitFor(() => (run.out().includes('watching notes') ? true : null), 60_000, 'the watch to start');
    const search = async (query: string) => {
      const res = await fetch(`${url}/api/search?query=${encodeURIComponent(query)}&mode=bm25`);
      const body = (await res.json()) as { results: { docId: string }[] };
      return body.results.map((r) => r.docId).sort();
    };
    expect(await search('zebras')).toEqual(['notes/2024/alpha.md']);

    const t = Date.now();
    writeFileSync(path.join(dir, '2024', 'epsilon.md'), post('Epsilon', 'Epsilon is about narwhals.'));
    const added = await waitFor(async () => ((await search('narwhals')).length === 1 ? Date.now() - t : null), FOLLOW_MS, 'narwhals');
    rmSync(path.join(dir, '2024', 'alpha.md'));
    await waitFor(async () => ((await search('zebras')).length === 0 ? true : null), FOLLOW_MS, 'zebras to leave');
    console.log(`serve --watch: save to searchable over HTTP in ${added} ms`);

    children[children.length - 1]!.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });
});
