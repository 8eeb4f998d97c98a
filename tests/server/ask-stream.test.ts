import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LlmSettings } from '../../src/agent/llm-config.js';
import type { AssistantRunner } from '../../src/server/sse.js';
import type { RunningServer } from '../../src/server/start.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { lastToolMessage, pickSentence, startScriptedServer, type ScriptedServer } from '../helpers/scripted-openai.js';
import { parseSse, startTestServer } from './server-fixture.js';

let ctx: ReturnType<typeof sampleContext>;
let openai: ScriptedServer;
let llmServer: RunningServer & { logs: string[] };

beforeAll(async () => {
  const [{ index }, scripted] = await Promise.all([buildSampleIndex(), startScriptedServer()]);
  ctx = sampleContext(index);
  openai = scripted;
  const llm: LlmSettings = { baseURL: openai.baseURL, apiKey: 'test-key', model: 'scripted-model', timeoutMs: 5000, maxRetries: 0 };
  llmServer = await startTestServer(ctx, { llm });
});

afterAll(async () => {
  await llmServer?.close();
  await openai?.close();
  await ctx?.close();
});

beforeEach(() => openai.reset());

const askRequest = (base: string, question: string, signal?: AbortSignal) =>
  fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question }),
    ...(signal ? { signal } : {}),
  });

describe('POST /api/ask with an LLM (real runAssistant against a scripted OpenAI-compatible server)', () => {
  it('streams tool calls, tokens, verified sources and done, in order', async () => {
    let quoted = '';
    openai.script(
      { type: 'stream', toolCalls: [{ id: 'c1', name: 'search', arguments: JSON.stringify({ query: 'calibration', k: 3 }) }] },
      (req) => {
        quoted = pickSentence(lastToolMessage(req));
        return { type: 'stream', content: `You wrote: "${quoted}" [1]` };
      },
    );
    const health = (await (await fetch(`${llmServer.url}/api/health`)).json()) as { llm: boolean };
    expect(health.llm).toBe(true);

    const res = await askRequest(llmServer.url, 'what did I say about calibration?');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('start');
    expect(events[0]!.data).toMatchObject({ mode: 'llm', question: 'what did I say about calibration?' });
    expect(kinds.indexOf('tool_call')).toBeLessThan(kinds.indexOf('tool_result'));
    expect(kinds.indexOf('tool_result')).toBeLessThan(kinds.indexOf('token'));
    expect(kinds.slice(-2)).toEqual(['sources', 'done']);
    expect(events.find((e) => e.event === 'tool_call')!.data).toMatchObject({ name: 'search', arguments: { query: 'calibration', k: 3 } });
    expect(events.find((e) => e.event === 'tool_result')!.data).toMatchObject({ ok: true });

    const tokens = events
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text as string)
      .join('');
    expect(tokens).toBe(`You wrote: "${quoted}" [1]`);
    const sources = events.at(-2)!.data as {
      sources: { n: number; citation: string }[];
      quotes: { verified: boolean }[];
      verified: number;
    };
    expect(sources.sources[0]).toMatchObject({ n: 1 });
    expect(sources.sources[0]!.citation).toMatch(/^corpus\/posts\/.+:\d+/);
    expect(sources.quotes).toEqual([{ quote: quoted, verified: true, verdict: 'verified', citation: expect.any(String) }]);
    expect(sources.verified).toBe(1);
    expect(events.at(-1)!.data.answer).toBe(tokens);
  });

  it("searches the LLM's reformulations of the model's query too, and fuses them", async () => {
    // "decontaminate" occurs only in the Devika Raman interview; the model's own query does not find it.
    openai.scriptRewrite({ type: 'json', content: JSON.stringify({ queries: ['decontaminate'], hypothetical: null }) });
    let toolText = '';
    openai.script(
      {
        type: 'stream',
        toolCalls: [{ id: 'q1', name: 'search', arguments: JSON.stringify({ query: 'abstention threshold', mode: 'bm25' }) }],
      },
      (req) => {
        toolText = lastToolMessage(req);
        return { type: 'stream', content: 'Done.' };
      },
    );
    const events = parseSse(await (await askRequest(llmServer.url, 'when should a model abstain?')).text());
    expect(events.at(-1)!.event).toBe('done');
    expect(openai.rewriteRequests().map((r) => r.messages.at(-1)?.content)).toEqual(['abstention threshold']);
    expect(toolText).toContain('posts/2022/2022-11-08-what-calibration-measures.md:');
    expect(toolText).toContain('posts/2025/2025-04-22-interview-devika-raman.md:');
  });

  it('gives the assistant a context that cannot read local files', async () => {
    openai.script(
      { type: 'stream', toolCalls: [{ id: 'r1', name: 'related', arguments: JSON.stringify({ path: '/etc/passwd' }) }] },
      { type: 'stream', content: 'Nothing to go on.' },
    );
    const events = parseSse(await (await askRequest(llmServer.url, 'related to /etc/passwd?')).text());
    const result = events.find((e) => e.event === 'tool_result')!.data;
    expect(result).toMatchObject({ name: 'related', ok: false });
    expect(String(result.summary)).toMatch(/path is not accepted here/);
    expect(JSON.stringify(events)).not.toMatch(/root:x:/);
  });

  it('ends the stream with an error event when the LLM fails', async () => {
    openai.script({ type: 'status', status: 500, body: { error: { message: 'model exploded' } } });
    const events = parseSse(await (await askRequest(llmServer.url, 'anything')).text());
    expect(events[0]!.event).toBe('start');
    expect(events.at(-1)!.event).toBe('error');
    expect(String(events.at(-1)!.data.message)).not.toMatch(/\n\s+at /);
    expect(llmServer.logs).toEqual([]);
  });
});

describe('POST /api/ask with a scripted runner', () => {
  it('aborts the assistant when the client disconnects', async () => {
    let seen: AbortSignal | null = null;
    let release: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (release = resolve));
    const assistant: AssistantRunner = async ({ signal, onEvent }) => {
      seen = signal;
      onEvent({ type: 'token', text: 'thinking' });
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      release();
    };
    const server = await startTestServer(ctx, { assistant });
    try {
      const abort = new AbortController();
      const res = await askRequest(server.url, 'slow question', abort.signal);
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toMatch(/event: start/);
      abort.abort();
      await Promise.race([aborted, new Promise((_, reject) => setTimeout(() => reject(new Error('assistant was not aborted')), 5000))]);
      expect(seen!.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('closes a stream whose runner returns without done', async () => {
    const assistant: AssistantRunner = async ({ onEvent, ctx: runnerCtx }) => {
      expect(runnerCtx.fileAccess).toBeUndefined();
      onEvent({ type: 'token', text: 'partial' });
    };
    const server = await startTestServer(ctx, { assistant });
    try {
      const events = parseSse(await (await askRequest(server.url, 'q')).text());
      expect(events.map((e) => e.event)).toEqual(['start', 'token', 'done']);
    } finally {
      await server.close();
    }
  });
});
