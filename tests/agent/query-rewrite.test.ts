import { describe, expect, it } from 'vitest';
import { runAssistant } from '../../src/agent/assistant.js';
import type { LlmSettings } from '../../src/agent/llm-config.js';
import { parseRewrite, REWRITE_SYSTEM_PROMPT } from '../../src/agent/query-rewrite.js';
import { ToolBridge } from '../../src/agent/tool-bridge.js';
import { callTool } from '../../src/tools/tool.js';
import { searchTool } from '../../src/tools/search.js';
import { useAssistantFixture } from '../helpers/assistant-fixture.js';
import { lastToolMessage } from '../helpers/scripted-openai.js';

const f = useAssistantFixture();

// Each phrasing's words occur in one post only, so which lists reached the fused result is visible.
const ORIGINAL = 'abstention threshold';
const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const REFORMULATION = 'decontaminate';
const INTERVIEW = 'corpus/posts/2025/2025-04-22-interview-devika-raman.md';
const HYPOTHETICAL = 'The numbers camp distrusts anecdotes and vibes.';
const VIBES = 'corpus/posts/2024/2024-01-30-vibes-are-data-too.md';

const searchCall = (args: Record<string, unknown>) => ({ id: 'c1', name: 'search', arguments: JSON.stringify(args) });

/** Runs one assistant turn whose model makes one search call, and returns what that call gave the model. */
async function searchThroughAssistant(args: Record<string, unknown>, settings: LlmSettings = f.llm): Promise<string> {
  let toolText = '';
  f.server.script({ type: 'stream', toolCalls: [searchCall(args)] }, (req) => {
    toolText = lastToolMessage(req);
    return { type: 'stream', content: 'Done.' };
  });
  await runAssistant({ question: 'what did I write about knowing when to abstain?', ctx: f.ctx, llm: settings });
  return toolText;
}

/** The same search, run directly without an LLM. */
async function plainSearchText(args: Record<string, unknown>): Promise<string> {
  const out = await callTool(searchTool, f.ctx, args);
  return searchTool.toText(out, 'agent');
}

describe('query rewriting with an LLM (scripted OpenAI-compatible server)', () => {
  it('searches every reformulation and the hypothetical passage, and fuses them with the query', async () => {
    f.server.scriptRewrite({ type: 'json', content: JSON.stringify({ queries: [REFORMULATION], hypothetical: HYPOTHETICAL }) });
    const text = await searchThroughAssistant({ query: ORIGINAL, mode: 'bm25', k: 10 });

    const [rewrite, ...more] = f.server.rewriteRequests();
    expect(more).toHaveLength(0);
    expect(rewrite).toMatchObject({ model: 'scripted-model', stream: false });
    expect(rewrite!.messages).toEqual([
      { role: 'system', content: REWRITE_SYSTEM_PROMPT },
      { role: 'user', content: ORIGINAL },
    ]);
    // Passages each phrasing alone finds are all in the one result the model reads.
    expect(text).toContain(`${CALIBRATION}:`);
    expect(text).toContain(`${INTERVIEW}:`);
    expect(text).toContain(`${VIBES}:`);
    // Without the rewrite, the query finds neither of the others.
    const plain = await plainSearchText({ query: ORIGINAL, mode: 'bm25', k: 10 });
    expect(plain).toContain(`${CALIBRATION}:`);
    expect(plain).not.toContain(`${INTERVIEW}:`);
    expect(plain).not.toContain(`${VIBES}:`);
  });

  it('accepts a reply wrapped in a code fence, and rewrites a repeated query once', async () => {
    const reply = `Here you go:\n\`\`\`json\n${JSON.stringify({ queries: [REFORMULATION] })}\n\`\`\``;
    f.server.scriptRewrite({ type: 'json', content: reply });
    f.server.script(
      { type: 'stream', toolCalls: [searchCall({ query: ORIGINAL, mode: 'bm25' })] },
      { type: 'stream', toolCalls: [{ ...searchCall({ query: ORIGINAL, mode: 'bm25', k: 5 }), id: 'c2' }] },
      (req) => {
        expect(lastToolMessage(req)).toContain(`${INTERVIEW}:`);
        return { type: 'stream', content: 'Done.' };
      },
    );
    const r = await runAssistant({ question: 'abstaining', ctx: f.ctx, llm: f.llm });
    expect(r.toolCalls).toBe(2);
    expect(f.server.rewriteRequests()).toHaveLength(1);
  });

  it.each([
    ['a malformed reply', { type: 'json' as const, content: '{"queries": ["unterminated' }],
    ['a reply with no usable phrasing', { type: 'json' as const, content: '{"queries": [42, ""], "hypothetical": "  "}' }],
    ['an API error', { type: 'status' as const, status: 500, headers: { 'x-should-retry': 'false' } }],
  ])('falls back silently to the plain query on %s', async (_label, rewriteReply) => {
    f.server.scriptRewrite(rewriteReply);
    const args = { query: ORIGINAL, mode: 'bm25', k: 10 };
    const text = await searchThroughAssistant(args);
    expect(f.server.rewriteRequests()).toHaveLength(1);
    // The model sees exactly what a search without an LLM returns.
    expect(text.replace(/\n\nCite as: .*$/s, '')).toBe(await plainSearchText(args));
  });

  it('falls back when the rewrite does not answer in time', async () => {
    f.server.scriptRewrite({ type: 'hang' });
    const args = { query: ORIGINAL, mode: 'bm25', k: 10 };
    const started = Date.now();
    // The rewrite waits no longer than the LLM's own timeout.
    const text = await searchThroughAssistant(args, { ...f.llm, timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(text.replace(/\n\nCite as: .*$/s, '')).toBe(await plainSearchText(args));
  });

  it('leaves a search that brings its own phrasings alone, and can be turned off', async () => {
    const own = await searchThroughAssistant({ query: ORIGINAL, queries: [REFORMULATION], mode: 'bm25' });
    expect(own).toContain(`${INTERVIEW}:`);
    expect(f.server.rewriteRequests()).toHaveLength(0);

    f.server.script({ type: 'stream', toolCalls: [searchCall({ query: ORIGINAL, mode: 'bm25' })] }, { type: 'stream', content: 'Done.' });
    await runAssistant({ question: 'abstaining', ctx: f.ctx, llm: f.llm, rewrite: false });
    expect(f.server.rewriteRequests()).toHaveLength(0);
  });
});

describe('without an LLM nothing changes', () => {
  it('a tool bridge without a rewriter passes search calls through unchanged', async () => {
    const args = { query: ORIGINAL, mode: 'bm25', k: 10 };
    const out = await new ToolBridge(f.ctx).execute(searchCall(args));
    expect(out.content.replace(/\n\nCite as: .*$/s, '')).toBe(await plainSearchText(args));
    expect(f.server.requests).toHaveLength(0);
  });

  it('the search tool without queries returns the retriever ranking as it is', async () => {
    const retriever = await f.ctx.retriever();
    const hits = await retriever.search({ query: 'calibration', k: 10, mode: retriever.effectiveMode('hybrid') });
    const out = await callTool(searchTool, f.ctx, { query: 'calibration' });
    expect(out.queries).toBeUndefined();
    expect(out.results.map((r) => [r.docId, r.lineStart])).toEqual(hits.map((h) => [h.docId, h.lineStart]));
  });
});

describe('parseRewrite', () => {
  it('keeps distinct, bounded phrasings and drops the query itself', () => {
    const long = 'word '.repeat(400);
    const r = parseRewrite(JSON.stringify({ queries: ['Abstention Threshold', 'a', 'a', 'b', 'c', 'd'], hypothetical: long }), ORIGINAL);
    expect(r!.queries).toEqual([ORIGINAL, 'a', 'b', 'c']);
    expect(r!.hypothetical!.length).toBeLessThanOrEqual(1000);
    expect(parseRewrite('no json here', ORIGINAL)).toBeNull();
    expect(parseRewrite('[1, 2]', ORIGINAL)).toBeNull();
  });
});

describe('search tool input', () => {
  it('caps the number and length of alternative queries', async () => {
    await expect(callTool(searchTool, f.ctx, { query: 'x', queries: ['a', 'b', 'c', 'd', 'e', 'f'] })).rejects.toThrow(/at most 5/);
    await expect(callTool(searchTool, f.ctx, { query: 'x', queries: ['y'.repeat(1001)] })).rejects.toThrow(/1000 characters/);
  });
});
