import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssistantCancelledError, LlmApiError, runAssistant, type RunAssistantOptions } from '../../src/agent/assistant.js';
import type { AssistantEvent } from '../../src/agent/events.js';
import type { LlmSettings } from '../../src/agent/llm-config.js';
import { MAX_TOOL_TEXT, ToolBridge, openAITools } from '../../src/agent/tool-bridge.js';
import { PriorsError } from '../../src/core/errors.js';
import { findExact } from '../../src/text/quote-match.js';
import { CORPUS } from '../helpers/paths.js';
import { useAssistantFixture, type AssistantFixture } from '../helpers/assistant-fixture.js';
import { lastToolMessage, pickSentence, type ChatRequest, type ScriptedServer } from '../helpers/scripted-openai.js';

const fixture = useAssistantFixture();
let server: ScriptedServer;
let ctx: AssistantFixture['ctx'];
let llm: LlmSettings;
beforeAll(() => {
  ({ server, ctx, llm } = fixture);
});

async function ask(question: string, more: Partial<RunAssistantOptions> = {}) {
  const events: AssistantEvent[] = [];
  const result = await runAssistant({ question, ctx, llm, onEvent: (e) => events.push(e), ...more });
  return { result, events };
}

const call = (id: string, name: string, args: unknown) => ({ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });

/** The corpus lines a `path:a-b` citation points at. */
function linesOf(citation: string): string {
  const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(citation);
  if (!m) throw new Error(`not a citation: ${citation}`);
  const lines = readFileSync(path.join(CORPUS, m[1]!.replace(/^corpus\//, '')), 'utf8').split('\n');
  return lines.slice(Number(m[2]) - 1, Number(m[3] ?? m[2])).join('\n');
}

describe('tool bridge', () => {
  it('advertises every shared tool but ask, with its JSON Schema', () => {
    const tools = openAITools();
    expect(tools.map((t) => t.function.name)).toEqual([
      'search',
      'quote',
      'cite',
      'get_document',
      'related',
      'check',
      'timeline',
      'links',
      'list_documents',
      'list_roots',
    ]);
    const search = tools[0]!.function;
    expect(search.parameters).toMatchObject({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });
    expect(search.parameters).not.toHaveProperty('$schema');
  });

  it('bounds what goes back to the model and keeps the passages as evidence', async () => {
    const bridge = new ToolBridge(ctx);
    const docs = await bridge.execute(call('a', 'list_documents', {}));
    const [doc] = await bridge.executeAll([
      call('b', 'get_document', { docId: 'posts/2022/2022-07-12-rlhf-is-a-patch.md', maxChars: 20000 }),
    ]);
    expect(docs.ok && doc!.ok).toBe(true);
    expect(doc!.content.length).toBeLessThanOrEqual(MAX_TOOL_TEXT);
    expect(doc!.content).toMatch(/Cite as: \[1\] posts\/2022\/2022-07-12-rlhf-is-a-patch\.md$/);
    expect(bridge.evidence).toHaveLength(1);
    expect(bridge.evidence[0]).toMatchObject({ n: 1, docId: 'corpus/posts/2022/2022-07-12-rlhf-is-a-patch.md', lineStart: 1 });
  });

  it('does not let the model make tools read local files', async () => {
    const out = await new ToolBridge(ctx).execute(call('p', 'related', { path: '/etc/hostname' }));
    expect(out).toMatchObject({ ok: false, content: 'error: related: path is not accepted here; send the draft as text' });
  });
});

describe('runAssistant against a scripted OpenAI-compatible server', () => {
  it('searches, streams an answer whose quote is verbatim, verifies it and lists the source', async () => {
    let quoted = '';
    server.script(
      { type: 'stream', toolCalls: [call('call_1', 'search', { query: 'reward model blind spots weak proxy', k: 3 })] },
      (req) => {
        quoted = pickSentence(lastToolMessage(req));
        return { type: 'stream', content: `You argued that "${quoted}" [1] That still holds.` };
      },
    );
    const { result, events } = await ask('what did I say about reward models?');

    // The request: system prompt, tools without ask, streaming with parallel tool calls.
    const [first, second] = server.chatRequests() as [ChatRequest, ChatRequest];
    expect(first).toMatchObject({ model: 'scripted-model', stream: true, parallel_tool_calls: true });
    expect(first.messages[0]).toMatchObject({ role: 'system' });
    expect(first.messages[0]!.content).toMatch(/editorial research assistant/);
    expect(first.messages.at(-1)).toEqual({ role: 'user', content: 'what did I say about reward models?' });
    expect(first.tools!.map((t) => t.function.name)).not.toContain('ask');
    expect(second.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1', function: { name: 'search' } }] });
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(lastToolMessage(second)).toMatch(/Cite as: \[1\] posts\//);

    // Events: tool call, result, tokens (streamed in pieces), sources, done — in that order.
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['tool_call', 'tool_result']);
    expect(types.slice(-2)).toEqual(['sources', 'done']);
    const tokens = events.filter((e): e is Extract<AssistantEvent, { type: 'token' }> => e.type === 'token');
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.map((t) => t.text).join('')).toBe(result.answer);
    expect(events.at(-1)).toEqual({ type: 'done', answer: result.answer });

    expect(result.quotes).toHaveLength(1);
    expect(result.quotes[0]).toMatchObject({ quote: quoted, verified: true });
    expect(result).toMatchObject({ verified: 1, unverified: 0, rounds: 1, toolCalls: 1 });
    // The citation points at the file lines that really hold the quote.
    expect(findExact(quoted, linesOf(result.quotes[0]!.citation!))).not.toHaveLength(0);
    expect(result.sources.map((s) => s.n)).toContain(1);
    expect(result.sources[0]).toMatchObject({ n: 1, docId: expect.stringMatching(/^corpus\/posts\//) });
    expect(result.sources[0]!.title).toBeTruthy();
  });

  it('runs parallel tool calls of one round and reassembles their interleaved argument fragments', async () => {
    server.script(
      {
        type: 'stream',
        toolCalls: [
          call('call_a', 'search', { query: 'calibration of predictions', k: 2 }),
          call('call_b', 'timeline', { topic: 'RLHF', limit: 3 }),
          call('call_c', 'list_documents', { type: ['interview'], limit: 5 }),
        ],
      },
      { type: 'stream', content: 'Both threads run through your posts [1][2].' },
    );
    const { result, events } = await ask('calibration and RLHF over time');
    const calls = events.filter((e): e is Extract<AssistantEvent, { type: 'tool_call' }> => e.type === 'tool_call');
    expect(calls.map((c) => [c.id, c.name])).toEqual([
      ['call_a', 'search'],
      ['call_b', 'timeline'],
      ['call_c', 'list_documents'],
    ]);
    expect(calls[1]!.arguments).toEqual({ topic: 'RLHF', limit: 3 });
    const results = events.filter((e): e is Extract<AssistantEvent, { type: 'tool_result' }> => e.type === 'tool_result');
    expect(results.every((r) => r.ok)).toBe(true);

    const second = server.chatRequests()[1]!;
    const tools = second.messages.filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.tool_call_id)).toEqual(['call_a', 'call_b', 'call_c']);
    expect(second.messages.find((m) => m.role === 'assistant')!.tool_calls!.map((c) => JSON.parse(c.function.arguments))).toEqual([
      { query: 'calibration of predictions', k: 2 },
      { topic: 'RLHF', limit: 3 },
      { type: ['interview'], limit: 5 },
    ]);
    expect(result).toMatchObject({ rounds: 1, toolCalls: 3, quotes: [], verified: 0, unverified: 0 });
    expect(result.sources.map((s) => s.n)).toEqual([1, 2]);
  });

  it('flags a hallucinated quotation as unverified next to a real one', async () => {
    const fake = 'Reward models are the bedrock of every aligned system we will ever build.';
    let real = '';
    server.script({ type: 'stream', toolCalls: [call('c1', 'search', { query: 'reward model over-optimisation', k: 4 })] }, (req) => {
      real = pickSentence(lastToolMessage(req));
      return { type: 'stream', content: `You wrote “${real}” [1]. You also said:\n\n> ${fake}\n> — [1]\n` };
    });
    const { result, events } = await ask('reward models');
    expect(result.quotes).toEqual([
      { quote: fake, verified: false, verdict: 'not_found', citation: null },
      { quote: real, verified: true, verdict: 'verified', citation: expect.stringMatching(/^corpus\/posts\/.*\.md:\d+/) },
    ]);
    expect(result).toMatchObject({ verified: 1, unverified: 1 });
    expect(events.find((e) => e.type === 'sources')).toMatchObject({ verified: 1, unverified: 1 });
  });

  it('sends invalid arguments back to the model as a tool error, and the model recovers', async () => {
    server.script(
      {
        type: 'stream',
        toolCalls: [
          call('bad_json', 'search', '{"query": "calibration", '),
          call('bad_schema', 'search', { query: 'calibration', k: 0 }),
          call('bad_name', 'grep', {}),
        ],
      },
      { type: 'stream', toolCalls: [call('good', 'search', { query: 'calibration', k: 2 })] },
      { type: 'stream', content: 'Found it [1].' },
    );
    const { result, events } = await ask('calibration');
    const outcomes = events.filter((e): e is Extract<AssistantEvent, { type: 'tool_result' }> => e.type === 'tool_result');
    expect(outcomes.map((o) => [o.id, o.ok])).toEqual([
      ['bad_json', false],
      ['bad_schema', false],
      ['bad_name', false],
      ['good', true],
    ]);
    const [, second] = server.chatRequests();
    const tools = second!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(tools[0]).toMatch(/^error: search: arguments are not valid JSON/);
    expect(tools[1]).toMatch(/^error: search: k: /);
    expect(tools[2]).toMatch(/^error: unknown tool "grep"; available: search, quote/);
    // The broken call is echoed as valid JSON so strict servers accept the history.
    const echoed = second!.messages.find((m) => m.role === 'assistant')!.tool_calls![0]!.function.arguments;
    expect(JSON.parse(echoed)).toEqual({ invalid_json: '{"query": "calibration", ' });
    expect(result).toMatchObject({ answer: 'Found it [1].', rounds: 2, toolCalls: 4 });
  });

  it('retries a 429 (honouring retry-after) and then answers', async () => {
    server.script(
      { type: 'status', status: 429, headers: { 'retry-after': '0.05' }, body: { error: { message: 'slow down', type: 'rate_limit' } } },
      { type: 'stream', content: 'The archive has nothing on knitting.' },
    );
    const { result } = await ask('knitting?');
    expect(server.chatRequests()).toHaveLength(2);
    expect(result.answer).toBe('The archive has nothing on knitting.');
  });

  it('surfaces a persistent 500 as one clear error after the retries', async () => {
    const fail = {
      type: 'status' as const,
      status: 500,
      headers: { 'retry-after-ms': '5' },
      body: { error: { message: 'model crashed' } },
    };
    server.script(fail, fail, fail, fail);
    const events: AssistantEvent[] = [];
    const err = await runAssistant({ question: 'x', ctx, llm, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmApiError);
    expect(err).toBeInstanceOf(PriorsError);
    expect((err as Error).message).toBe(`LLM API at ${server.baseURL} failed: 500 model crashed`);
    expect(server.chatRequests()).toHaveLength(4);
    expect(events).toEqual([{ type: 'error', message: (err as Error).message }]);
  });

  it('times out a server that never answers', async () => {
    server.script({ type: 'hang' });
    const err = await runAssistant({ question: 'x', ctx, llm: { ...llm, timeoutMs: 300, maxRetries: 0 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmApiError);
    expect((err as Error).message).toBe(`LLM API at ${server.baseURL} timed out (timeout 0.3 s) — is the model loaded?`);
  });

  it('cuts a stream that goes quiet mid-answer', async () => {
    server.script({ type: 'stream', content: 'one two three four', stallAfter: 3 });
    const err = await runAssistant({ question: 'x', ctx, llm: { ...llm, timeoutMs: 300, maxRetries: 0 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmApiError);
    expect((err as Error).message).toMatch(/^LLM API at .* stopped responding for 0.3 s mid-answer$/);
  });

  it('cancels cleanly when the signal aborts mid-answer', async () => {
    server.script({ type: 'stream', content: 'one two three four five six seven eight nine ten eleven twelve', delayMs: 40 });
    const abort = new AbortController();
    const tokens: string[] = [];
    const err = await runAssistant({
      question: 'x',
      ctx,
      llm,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'token' && e.text) {
          tokens.push(e.text);
          abort.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssistantCancelledError);
    expect(tokens.length).toBeLessThan(4);
  });

  it('stops offering tools after maxRounds and takes the answer', async () => {
    const again = { type: 'stream' as const, toolCalls: [call('r', 'search', { query: 'benchmarks', k: 1 })] };
    server.script(again, again, { type: 'stream', content: 'Enough searching.' });
    const { result } = await ask('benchmarks', { maxRounds: 2 });
    const reqs = server.chatRequests();
    expect(reqs.map((r) => r.tools !== undefined)).toEqual([true, true, false]);
    expect(reqs[2]).not.toHaveProperty('parallel_tool_calls');
    expect(result).toMatchObject({ answer: 'Enough searching.', rounds: 2 });
  });

  it('carries history: a later turn may quote an earlier turn’s passages under the same numbers', async () => {
    let quoted = '';
    server.script({ type: 'stream', toolCalls: [call('t1', 'search', { query: 'keep a research log', k: 2 })] }, (req) => {
      quoted = pickSentence(lastToolMessage(req));
      return { type: 'stream', content: 'Yes, you did [1].' };
    });
    const first = await ask('did I write about research logs?');
    server.script(() => ({ type: 'stream', content: `Exactly: "${quoted}" [1]` }));
    const { result } = await ask('quote it', { history: first.result.history });
    const req = server.chatRequests().at(-1)!;
    expect(req.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['did I write about research logs?', 'quote it']);
    expect(req.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(result.quotes).toEqual([{ quote: quoted, verified: true, verdict: 'verified', citation: expect.any(String) }]);
    expect(result.sources.map((s) => s.n)).toEqual([1]);
  });
});
