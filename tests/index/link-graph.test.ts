import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { loadLinkGraph, loadLinkResolver } from '../../src/index/link-graph.js';
import { IndexStore } from '../../src/index/store.js';
import { createToolContext } from '../../src/tools/context.js';
import { getDocumentTool } from '../../src/tools/get-document.js';
import { linksTool } from '../../src/tools/links.js';
import { callTool } from '../../src/tools/tool.js';
import { CLI, REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/sample-index.js';

const FIXTURE = path.join(REPO, 'tests', 'index', 'fixtures', 'linked-posts');
const TEMPLATE = 'https://www.tidepool.example/p/{slug}';
const TIDES = 'tidepool/2023/2023-03-01-reading-the-tides.md';
const WALL = 'tidepool/2023/2023-07-12-the-harbour-wall.md';
const STORM = 'tidepool/2024/2024-02-20-storm-season.md';
const YEAR = 'tidepool/2025/2025-01-15-a-year-of-tides.md';
const GUIDE = 'tidepool/2025/2025-03-03-field-guide.md';

let work: string;
let posts: string;
let index: string;

async function withStore<T>(fn: (store: IndexStore) => Promise<T>): Promise<T> {
  const store = await IndexStore.open(index);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const run = () => ingest({ roots: [{ path: posts, name: 'tidepool', urlTemplate: TEMPLATE }], index, embedder: null });

/** Every edge as `from → to`, short names. */
async function edges(): Promise<string[]> {
  return withStore(async (store) => {
    const graph = await loadLinkGraph(store);
    const short = (id: string) => path.basename(id, '.md').slice(11);
    return (await store.listDocuments())
      .flatMap((d) => graph.linksFrom(d.doc_id).map((e) => `${short(e.from)}:${e.line} → ${short(e.to)}`))
      .sort();
  });
}

beforeAll(async () => {
  work = tempDir('priors-links-');
  posts = path.join(work, 'posts');
  cpSync(path.join(FIXTURE, 'posts'), posts, { recursive: true });
  index = path.join(work, 'index');
  await run();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('link graph', () => {
  it("resolves every form of the author's own URLs to the documents, and counts the rest", async () => {
    expect(await edges()).toEqual([
      'a-year-of-tides:10 → reading-the-tides',
      'a-year-of-tides:11 → storm-season',
      'a-year-of-tides:12 → the-harbour-wall',
      'a-year-of-tides:13 → field-guide',
      'field-guide:8 → reading-the-tides',
      'storm-season:10 → reading-the-tides',
      'storm-season:11 → the-harbour-wall',
      'storm-season:13 → the-harbour-wall',
      'the-harbour-wall:10 → reading-the-tides',
    ]);
    const stats = await withStore(async (store) => (await loadLinkGraph(store)).stats);
    // 13 links: 9 reach a document, 1 is a dead link to the site, /subscribe and /about are site pages, 1 external.
    expect(stats).toEqual({ documents: 5, links: 13, ownLinks: 10, resolved: 9, targets: 4, missing: 1, selfLinks: 0 });
  });

  it('exports the resolver: any URL form to a document, dead own links, site pages and other sites told apart', async () => {
    await withStore(async (store) => {
      const resolver = await loadLinkResolver(store);
      const docOf = (url: string) => {
        const r = resolver.resolve(url);
        return r.status === 'document' ? r.document.docId : r.status;
      };
      expect(docOf('https://tidepool.example/p/storm-season/?ref=x')).toBe(STORM);
      expect(docOf('http://www.tidepool.example/i/1001/anchor')).toBe(TIDES);
      expect(docOf('https://www.tidepool.example/guides/tide-tables')).toBe(GUIDE);
      expect(docOf('https://www.tidepool.example/p/never-written')).toBe('missing');
      expect(docOf('https://www.tidepool.example/i/999/x')).toBe('missing');
      expect(docOf('https://www.tidepool.example/about')).toBe('site');
      expect(docOf('https://example.org/p/storm-season')).toBe('external');
      expect(docOf('/p/storm-season')).toBe('external');
      const from = {
        root: 'tidepool',
        relPath: '2025/2025-01-15-a-year-of-tides.md',
        url: 'https://www.tidepool.example/p/a-year-of-tides',
      };
      expect(resolver.resolve('/p/storm-season', from)).toMatchObject({ status: 'document', document: { docId: STORM } });
      expect(resolver.resolve('../2023/2023-03-01-reading-the-tides.md', from)).toMatchObject({ document: { docId: TIDES } });
      expect(resolver.resolve('../2023/gone.md', from)).toEqual({ status: 'missing' });
    });
  });

  it('get shows links to and linked from, with lines; links lists the most-linked documents', async () => {
    const ctx = createToolContext({ index, onWarning: () => undefined });
    try {
      const wall = await callTool(getDocumentTool, ctx, { docId: WALL });
      expect(wall.linksTo.map((l) => [l.docId, l.lines])).toEqual([[TIDES, [10]]]);
      expect(wall.linkedFrom.map((l) => [l.docId, l.lines])).toEqual([
        [STORM, [11, 13]],
        [YEAR, [12]],
      ]);
      const storm = await callTool(getDocumentTool, ctx, { docId: STORM });
      expect(storm.deadLinks).toEqual([
        { url: 'https://www.tidepool.example/p/a-post-that-was-never-written', line: 12, text: 'the lost post' },
      ]);
      expect(getDocumentTool.toText(wall)).toContain(`Linked from (2):\n  2024-02-20  Storm season  (${STORM}:11,13)`);

      const top = await callTool(linksTool, ctx, {});
      expect(top.documents.map((d) => [d.docId, d.inbound, d.inboundLinks])).toEqual([
        [TIDES, 4, 4],
        [WALL, 2, 3],
        [GUIDE, 1, 1],
        [STORM, 1, 1],
      ]);
      expect(top.documents[0]?.linkedFrom.map((l) => l.docId)).toEqual([GUIDE, YEAR, STORM, WALL]);
      expect((await callTool(linksTool, ctx, { since: '2024' })).documents.map((d) => d.docId)).toEqual([GUIDE, STORM]);
      // On a topic: only linked documents the search finds (full text here: those with the words), each with its passage.
      const onTopic = await callTool(linksTool, ctx, { topic: 'surges and the moon' });
      expect(onTopic.documents.map((d) => d.docId).sort()).toEqual([TIDES, STORM]);
      for (const d of onTopic.documents) expect(d.passage?.docId).toBe(d.docId);
      const weight = onTopic.documents.map((d) => d.inbound * (d.relevance ?? 0));
      expect(weight).toEqual([...weight].sort((a, b) => b - a));
      expect(linksTool.toText(top)).toContain('1. Reading the tides (2023-03-01) — linked from 4 documents');
    } finally {
      await ctx.close();
    }
  });

  it('follows re-ingest: a deleted post turns its in-links dead, a restored one resolves again, an edited post changes only its own links', async () => {
    const tides = path.join(posts, '2023', '2023-03-01-reading-the-tides.md');
    const text = readFileSync(tides, 'utf8');
    rmSync(tides);
    expect(await run()).toMatchObject({ removed: 1, unchanged: 4, updated: 0 });
    let stats = await withStore(async (store) => (await loadLinkGraph(store)).stats);
    expect(stats).toMatchObject({ documents: 4, resolved: 5, missing: 5, targets: 3 });

    writeFileSync(tides, text);
    expect(await run()).toMatchObject({ added: 1, unchanged: 4 });
    stats = await withStore(async (store) => (await loadLinkGraph(store)).stats);
    expect(stats).toMatchObject({ documents: 5, resolved: 9, missing: 1, targets: 4 });

    const storm = path.join(posts, '2024', '2024-02-20-storm-season.md');
    writeFileSync(
      storm,
      readFileSync(storm, 'utf8')
        .replace(/^An older idea.*\n/m, '')
        .replace('[the wall](https://www.tidepool.example/p/the-harbour-wall/comments)', 'the wall'),
    );
    expect(await run()).toMatchObject({ updated: 1, unchanged: 4 });
    expect((await edges()).filter((e) => e.startsWith('storm-season'))).toEqual([
      'storm-season:10 → reading-the-tides',
      // The Substack item link (/i/1002/…) moved up a line; the link on line 11 is gone.
      'storm-season:12 → the-harbour-wall',
    ]);
    stats = await withStore(async (store) => (await loadLinkGraph(store)).stats);
    expect(stats).toMatchObject({ resolved: 8, missing: 0 });
  });
});

describe('alias domains of a root', () => {
  it("resolves links to an old domain of the author's publication once the root lists it, with no document re-read", async () => {
    const dir = tempDir('priors-alias-');
    try {
      const root = path.join(dir, 'posts');
      cpSync(path.join(FIXTURE, 'posts'), root, { recursive: true });
      // Written when the newsletter lived at tidepool.substack.com; another writer's Substack stays external.
      writeFileSync(
        path.join(root, '2025', '2025-05-01-old-links.md'),
        [
          '---',
          'title: "Old links"',
          'date: 2025-05-01',
          '---',
          '',
          'Back then: [storms](https://tidepool.substack.com/p/storm-season), [the wall](http://www.tidepool.substack.com/i/1002/x),',
          'a [draft that never ran](https://tidepool.substack.com/p/never-ran) and [a friend](https://friend.substack.com/p/storm-season).',
          '',
        ].join('\n'),
      );
      const idx = path.join(dir, 'index');
      const OLD = 'tidepool/2025/2025-05-01-old-links.md';
      const graphOf = async () => {
        const store = await IndexStore.open(idx);
        try {
          const graph = await loadLinkGraph(store);
          return { edges: graph.linksFrom(OLD).map((e) => [e.line, e.to]), dead: graph.deadLinksOf(OLD).map((d) => d.url) };
        } finally {
          store.close();
        }
      };
      const settings = { path: root, name: 'tidepool', urlTemplate: TEMPLATE };
      await ingest({ roots: [settings], index: idx, embedder: null });
      expect(await graphOf()).toEqual({ edges: [], dead: [] });

      const report = await ingest({
        roots: [{ ...settings, urlAliases: ['https://www.Tidepool.substack.com/'] }],
        index: idx,
        embedder: null,
      });
      // Links are resolved when the index is read: the new setting re-reads no document.
      expect(report).toMatchObject({ added: 0, updated: 0, unchanged: 6 });
      expect(await graphOf()).toEqual({
        edges: [
          [6, STORM],
          [6, WALL],
        ],
        dead: ['https://tidepool.substack.com/p/never-ran'],
      });

      // The CLI flag and the roots listing; an empty alias clears the list.
      const priors = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--index', idx], { encoding: 'utf8' });
      expect(priors('roots', 'list').stdout).toContain('also at tidepool.substack.com');
      const bad = priors('ingest', root, '--url-alias', 'not a host', '--no-embed');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--url-alias: "not a host" is not a host name');
      const cleared = priors('ingest', root, '--url-alias', '', '--no-embed', '--json');
      expect(cleared.status, cleared.stderr).toBe(0);
      expect(priors('roots', 'list').stdout).not.toContain('also at');
      expect(await graphOf()).toEqual({ edges: [], dead: [] });
      const again = priors('ingest', root, '--url-alias', 'tidepool.substack.com,old.tidepool.example', '--no-embed', '--json');
      expect(again.status, again.stderr).toBe(0);
      expect(priors('roots', 'list').stdout).toContain('also at tidepool.substack.com, old.tidepool.example');
      expect((await graphOf()).edges).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
