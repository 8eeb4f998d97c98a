/**
 * A request with nothing left to match once stop words and cues are set aside ("the", "prior posts on") lists no
 * passages and says what to add — the same answer from the library, the CLI (text and JSON), HTTP and MCP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askTool } from '../../src/tools/ask.js';
import { searchTool } from '../../src/tools/search.js';
import { timelineTool } from '../../src/tools/timeline.js';
import { callTool } from '../../src/tools/tool.js';
import { collect, spawnPriors } from '../helpers/cli-process.js';
import { MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { callToolReply, spawnClient } from '../mcp/mcp-client.js';
import { startTestServer } from '../server/server-fixture.js';

let index: string;
let ctx: ReturnType<typeof sampleContext>;

beforeAll(async () => {
  ({ index } = await buildSampleIndex());
  ctx = sampleContext(index);
});
afterAll(() => ctx.close());

const NOTE = /names nothing to look for .*: add the topic, e\.g\. "prior posts on calibration"$/;

describe('a request that names nothing to look for', () => {
  it('search, ask and timeline answer with no passages and a one-line note; a request with a topic still finds it', async () => {
    const search = await callTool(searchTool, ctx, { query: 'the' });
    expect(search.results).toEqual([]);
    expect(search.note).toMatch(NOTE);
    expect(searchTool.toText(search)).toBe(search.note);
    expect(searchTool.toText(search, 'agent')).toBe(search.note);

    const ask = await callTool(askTool, ctx, { question: 'prior posts on' });
    expect(ask.documents).toEqual([]);
    expect(ask.note).toMatch(/^"prior posts on" names nothing to look for/);
    expect(askTool.toText(ask)).toBe(ask.note);

    const timeline = await callTool(timelineTool, ctx, { topic: 'the first time I wrote about' });
    expect(timeline).toMatchObject({ entries: [], undated: [], years: [], undatedCount: 0 });
    expect(timelineTool.toText(timeline)).toMatch(NOTE);

    // Grouped, with alternative phrasings: one phrasing with a topic is enough to search.
    const alt = await callTool(searchTool, ctx, { query: 'prior posts on', queries: ['calibration'], group: 'document' });
    expect(alt.note).toBeUndefined();
    expect(alt.results[0]?.docId).toBe('corpus/posts/2022/2022-11-08-what-calibration-measures.md');
    const topic = await callTool(askTool, ctx, { question: 'prior posts on calibration' });
    expect(topic.note).toBeUndefined();
    expect(topic.documents.length).toBeGreaterThan(0);
  });

  it('the CLI prints the note as text and in --json, and exits 0', async () => {
    const text = collect(spawnPriors(['search', 'the', '--index', index, '--model-dir', MODEL_DIR]));
    const json = collect(spawnPriors(['ask', 'prior posts on', '--json', '--index', index, '--model-dir', MODEL_DIR]));
    expect(await text.exit).toBe(0);
    expect(text.out().trim()).toMatch(NOTE);
    expect(text.out().trim().split('\n')).toHaveLength(1);
    expect(await json.exit).toBe(0);
    const out = JSON.parse(json.out()) as { documents: unknown[]; note: string };
    expect(out.documents).toEqual([]);
    expect(out.note).toMatch(NOTE);
  });

  it('HTTP and MCP answer the same', async () => {
    const server = await startTestServer(ctx);
    try {
      const res = await fetch(`${server.url}/api/search?query=${encodeURIComponent('where did I say')}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: unknown[]; note: string };
      expect(body.results).toEqual([]);
      expect(body.note).toMatch(NOTE);
    } finally {
      await server.close();
    }
    const mcp = await spawnClient(index);
    try {
      const reply = await callToolReply(mcp.client, 'search', { query: 'the' });
      expect(reply.isError).toBe(false);
      expect(reply.text).toMatch(NOTE);
      expect(reply.structured).toMatchObject({ results: [], note: expect.stringMatching(NOTE) });
    } finally {
      await mcp.close();
    }
  });
});
