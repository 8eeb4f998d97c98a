import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { loadLinkGraph } from '../../src/index/link-graph.js';
import { IndexStore } from '../../src/index/store.js';
import { urlKey, type LinkMark } from '../../src/text/links.js';
import { createToolContext } from '../../src/tools/context.js';
import { getDocumentTool } from '../../src/tools/get-document.js';
import { linksTool } from '../../src/tools/links.js';
import { timelineTool } from '../../src/tools/timeline.js';
import { callTool } from '../../src/tools/tool.js';
import { SHARED_DATA } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';

const HOW_I_WRITE = 'interconnects/public/2025/2025-06-06-howiwrite.md';
const O1 = 'interconnects/public/2024/2024-09-16-reverseengineeringopenaiso1.md';

/**
 * The editor's desk on the real archive, ingested with its URL template: the links it makes to itself, and the
 * timeline of a topic it covers for years (full text only: what is checked is links and dates, not ranking).
 */
describe.skipIf(!has('sharedData'))('links and timeline on the real archive', { timeout: 240_000 }, () => {
  let work: string;
  let index: string;
  let store: IndexStore;

  beforeAll(async () => {
    work = tempDir('priors-links-archive-');
    index = path.join(work, 'index');
    // Full-text only: links are what is checked, not ranking.
    await ingest({
      roots: [{ path: path.join(SHARED_DATA, 'interconnects'), urlTemplate: 'https://www.interconnects.ai/p/{slug}' }],
      index,
      embedder: null,
    });
    await ingest({
      roots: [{ path: path.join(SHARED_DATA, 'rlhf-book', 'chapters'), book: 'Reinforcement Learning from Human Feedback' }],
      index,
      embedder: null,
    });
    store = await IndexStore.open(index);
  });
  afterAll(() => {
    store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds the 506 links to /p/ posts; 427 of them resolve to 128 posts', async () => {
    const graph = await loadLinkGraph(store);
    let posts = 0;
    let resolved = 0;
    const targets = new Set<string>();
    for (const doc of await store.listDocuments()) {
      for (const link of JSON.parse(doc.links) as LinkMark[]) {
        if (!urlKey(link.url)?.startsWith('interconnects.ai/p/')) continue;
        posts++;
        const r = graph.resolver.resolve(link.url, { root: doc.root, relPath: doc.rel_path, url: doc.url });
        if (r.status !== 'document') continue;
        resolved++;
        targets.add(r.document.docId);
      }
    }
    expect({ posts, resolved, targets: targets.size }).toEqual({ posts: 506, resolved: 427, targets: 128 });
    // The graph itself also resolves Substack's /i/<post id>/… links and leaves out links of a post to itself.
    // README's figures (without --url-alias): what `priors links --json` reports as its graph.
    expect(graph.stats).toMatchObject({
      documents: 217,
      links: 4995,
      ownLinks: 582,
      resolved: 476,
      targets: 129,
      missing: 85,
      selfLinks: 21,
    });
  });

  it('get shows the links both ways; links ranks the most-linked posts, on a topic too', async () => {
    const ctx = createToolContext({ index, onWarning: () => undefined });
    try {
      const post = await callTool(getDocumentTool, ctx, { docId: HOW_I_WRITE });
      expect(post.linksTo.map((l) => l.url)).toContain('https://www.interconnects.ai/p/my-path-into-ai');
      const o1 = await callTool(getDocumentTool, ctx, { docId: O1 });
      expect(o1.linkedFrom.length).toBeGreaterThanOrEqual(15);
      const top = await callTool(linksTool, ctx, { limit: 5 });
      expect(top.documents[0]).toMatchObject({ docId: O1 });
      const rlhf = await callTool(linksTool, ctx, { topic: 'RLHF', limit: 5 });
      expect(rlhf.documents).toHaveLength(5);
      expect(rlhf.documents.every((d) => d.inbound > 0 && d.passage !== null)).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('timeline "RLHF" tells the story: 2022–2025 in order with 2025 present, book chapters apart, roundups not chosen', async () => {
    const ctx = createToolContext({ index, onWarning: () => undefined });
    try {
      const out = await callTool(timelineTool, ctx, { topic: 'RLHF' });
      const years = out.entries.map((e) => Number(e.date?.slice(0, 4)));
      expect(years).toEqual([...years].sort());
      expect(new Set(years)).toEqual(new Set([2022, 2023, 2024, 2025]));
      expect(out.years.find((y) => y.year === 2025)?.count).toBeGreaterThanOrEqual(5);
      expect(out.entries.every((e) => e.date !== null && e.type !== 'chapter' && !e.roundup)).toBe(true);
      expect(out.undated.length).toBe(5);
      expect(out.undated.every((e) => e.type === 'chapter' && e.date === null)).toBe(true);
      expect(out.undatedCount).toBeGreaterThan(10);
      expect(timelineTool.toText(out)).toMatch(/\n {2}2025 █+ \d+ \(\d+ shown\)/);
    } finally {
      await ctx.close();
    }
  });
});
