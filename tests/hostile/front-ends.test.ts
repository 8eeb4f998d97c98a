/**
 * Hostile requests to the front ends (issue 13, D8 D9 D10): length caps named in the error, no reads of
 * devices, FIFOs or files outside allowed folders, capped JSON-RPC batches, /mcp in the /api request queue,
 * and an over-size stdio message answered with a JSON-RPC error while the server keeps serving.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MCP_BATCH, mountMcp } from '../../src/mcp/http.js';
import { MAX_STDIO_MESSAGE_BYTES, oversizedMessageId } from '../../src/mcp/stdio-transport.js';
import type { Limiter } from '../../src/server/limit.js';
import { askTool } from '../../src/tools/ask.js';
import { MAX_CALLER_FILE_BYTES, readCallerFile } from '../../src/tools/caller-file.js';
import { TEXT_LIMITS } from '../../src/tools/limits.js';
import { quoteTool } from '../../src/tools/quote.js';
import { relatedTool } from '../../src/tools/related.js';
import { searchTool } from '../../src/tools/search.js';
import { timelineTool } from '../../src/tools/timeline.js';
import { callTool, ToolInputError, type ToolContext } from '../../src/tools/tool.js';
import { buildSampleIndex, sampleContext, tempDir } from '../helpers/sample-index.js';
import { callToolReply, cliArgs, isolatedEnv, requireBuiltCli, spawnClient, type SpawnedClient } from '../mcp/mcp-client.js';
import { startTestServer } from '../server/server-fixture.js';

const TEN_MB = 'calibration '.repeat(900_000);

/** A context whose index must never be reached: validation has to refuse first. */
const unreachable: ToolContext = {
  store: () => Promise.reject(new Error('the index was reached')),
  retriever: () => Promise.reject(new Error('the index was reached')),
};

async function refusal(run: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const t = performance.now();
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(ToolInputError);
    return { message: (err as Error).message, ms: performance.now() - t };
  }
  throw new Error('expected a refusal');
}

describe('length caps on caller text (D9)', () => {
  it('refuses a 10 MB query, question, topic, quote or draft at once, naming the field and the limit', async () => {
    const cases = [
      [searchTool, { query: TEN_MB }, `search: query: the query is longer than the limit of ${TEXT_LIMITS.query} characters`],
      [askTool, { question: TEN_MB }, `ask: question: the question is longer than the limit of ${TEXT_LIMITS.query} characters`],
      [timelineTool, { topic: TEN_MB }, `timeline: topic: the topic is longer than the limit of ${TEXT_LIMITS.query} characters`],
      [quoteTool, { text: TEN_MB }, `quote: text: the quote is longer than the limit of ${TEXT_LIMITS.quote} characters`],
      [relatedTool, { text: TEN_MB }, `related: text: the draft is longer than the limit of ${TEXT_LIMITS.draft} characters`],
      [
        searchTool,
        { query: 'x', path: '*'.repeat(5000) },
        `search: path: the path glob is longer than the limit of ${TEXT_LIMITS.field} characters`,
      ],
      [searchTool, { query: 'x', tag: Array(500).fill('t') }, `search: tag: give at most ${TEXT_LIMITS.items} tags`],
    ] as const;
    for (const [tool, input, message] of cases) {
      const r = await refusal(() => callTool(tool as typeof searchTool, unreachable, input));
      expect(r.message).toBe(message);
      expect(r.ms).toBeLessThan(1000);
    }
  });
});

describe('files a tool reads for its caller (D8)', () => {
  const dir = tempDir('priors-hostile-files-');
  const allowed = path.join(dir, 'drafts');
  const draft = path.join(allowed, 'draft.md');
  const fifo = path.join(allowed, 'pipe.md');
  beforeAll(() => {
    mkdirSync(allowed);
    writeFileSync(draft, 'A draft about calibration.\n');
    writeFileSync(path.join(allowed, '.env'), 'SECRET=1\n');
    writeFileSync(path.join(allowed, 'big.md'), Buffer.alloc(MAX_CALLER_FILE_BYTES + 1, 'a'));
    writeFileSync(path.join(dir, 'outside.md'), 'not a draft\n');
    symlinkSync(path.join(dir, 'outside.md'), path.join(allowed, 'link.md'));
    symlinkSync('/etc', path.join(allowed, 'etc'));
    execFileSync('mkfifo', [fifo]);
  });
  const mcp: ToolContext = { ...unreachable, fileAccess: { folders: [allowed] } };
  const cli: ToolContext = { ...unreachable, fileAccess: 'any' };
  const read = (ctx: ToolContext, p: string) => () => readCallerFile(ctx, 'related', p);

  it('reads a regular file the CLI user typed, anywhere', () => {
    expect(read(cli, path.join(dir, 'outside.md'))().text).toBe('not a draft\n');
  });

  it('never reads a device, a FIFO (no hang) or a file over the size limit, even from the CLI', () => {
    expect(read(cli, '/dev/zero')).toThrow('related: cannot read /dev/zero: not a regular file (a device, FIFO or socket)');
    const t = performance.now();
    expect(read(cli, fifo)).toThrow(`related: cannot read ${fifo}: not a regular file (a device, FIFO or socket)`);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(read(cli, path.join(allowed, 'big.md'))).toThrow(`is over the ${MAX_CALLER_FILE_BYTES}-byte limit`);
    expect(read(cli, allowed)).toThrow('a folder, not a file');
  });

  it('over MCP reads only non-hidden files inside an allowed folder, after resolving links', () => {
    expect(read(mcp, draft)().text).toBe('A draft about calibration.\n');
    const outside = /is not in a folder this server may read \(priors mcp --allow-read <folder>\)/;
    expect(read(mcp, '/etc/passwd')).toThrow(outside);
    expect(read(mcp, path.join(allowed, 'link.md'))).toThrow(outside);
    expect(read(mcp, path.join(allowed, 'etc', 'passwd'))).toThrow(outside);
    expect(read(mcp, path.join(allowed, '..', 'outside.md'))).toThrow(outside);
    expect(read(mcp, path.join(allowed, '.env'))).toThrow('is a hidden file or in a hidden folder');
    expect(read(mcp, path.join(allowed, 'pipe.md'))).toThrow('not a regular file');
    expect(read({ ...unreachable, fileAccess: { folders: [] } }, draft)).toThrow(outside);
  });

  it('on HTTP and for an LLM (no file access) refuses every path', () => {
    expect(read(unreachable, draft)).toThrow('related: path is not accepted here; send the draft as text');
  });
});

describe('the id of an over-size stdio message', () => {
  it('is read from either end of it', () => {
    expect(oversizedMessageId('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"a', '')).toBe(7);
    expect(oversizedMessageId('{"method":"tools/call","params":{"a', 'xx"}},"jsonrpc":"2.0","id":"r-1"}\r')).toBe('r-1');
    // An "id" inside the params is not the message's.
    expect(oversizedMessageId('{"method":"x","params":{"id":3,', 'a"}}}')).toBeNull();
  });
});

describe('HTTP front end: /mcp batches, bodies and the shared request queue (D9)', () => {
  let index: string;
  let gate: Promise<void> = Promise.resolve();
  let release!: () => void;
  /** Close the gate: searches wait at it, keeping the one request slot busy, until `release()`. */
  const hold = () => {
    gate = new Promise((resolve) => (release = resolve));
  };
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let ctx: ReturnType<typeof sampleContext>;

  beforeAll(async () => {
    ({ index } = await buildSampleIndex());
    ctx = sampleContext(index);
    const gated: ToolContext = {
      store: () => ctx.store(),
      retriever: async () => {
        await gate;
        return ctx.retriever();
      },
    };
    // Wired as `priors serve` wires it.
    const mount = (app: Hono, httpCtx: ToolContext, limiter: Limiter) =>
      mountMcp(app, () => httpCtx, { schedule: (job, signal) => limiter.run(job, signal) });
    server = await startTestServer(gated, { mount, maxConcurrent: 1, maxQueue: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
  });

  const mcpPost = (body: string) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body,
    });
  const searchCall = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'search', arguments: { query: 'reward models and calibration', k: 200 } },
  });

  it('refuses a 41 KB JSON-RPC batch of searches in one short error naming the cap', async () => {
    const body = JSON.stringify(Array.from({ length: 300 }, (_, i) => searchCall(i)));
    expect(body.length).toBeGreaterThan(41_000);
    const t = performance.now();
    const res = await mcpPost(body);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: `a JSON-RPC batch may hold at most ${MAX_MCP_BATCH} messages, not 300` },
    });
  });

  it('answers a batch within the cap', async () => {
    const res = await mcpPost(JSON.stringify([searchCall(1), searchCall(2)]));
    expect(res.status).toBe(200);
    const replies = (await res.json()) as { id: number; result: { isError?: boolean } }[];
    expect(replies.map((r) => r.id).sort()).toEqual([1, 2]);
  });

  it('refuses a body over 2 MB before parsing it', async () => {
    const res = await mcpPost(JSON.stringify({ ...searchCall(1), params: { name: 'search', arguments: { query: TEN_MB } } }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('the request body is larger than 2 MB');
  });

  it('queues /mcp tool calls with /api requests: a full queue refuses both as busy', async () => {
    hold();
    const api = fetch(`${server.url}/api/search?query=calibration`);
    // Let the API request take the only slot.
    await new Promise((r) => setTimeout(r, 200));
    const res = await mcpPost(JSON.stringify(searchCall(9)));
    const reply = (await res.json()) as { result: { isError: boolean; content: { text: string }[] } };
    expect(reply.result.isError).toBe(true);
    expect(reply.result.content[0]?.text).toBe('the server is busy; try again in a moment');
    const busyApi = await fetch(`${server.url}/api/search?query=calibration`);
    expect(busyApi.status).toBe(503);
    release();
    expect((await api).status).toBe(200);
    const after = (await (await mcpPost(JSON.stringify(searchCall(10)))).json()) as { result: { isError?: boolean } };
    expect(after.result.isError).toBeFalsy();
  });
});

describe('priors mcp over stdio with hostile messages and paths (D8, D9, D10)', () => {
  let index: string;
  let folder: string;
  let s: SpawnedClient;

  beforeAll(async () => {
    requireBuiltCli();
    ({ index } = await buildSampleIndex());
    folder = tempDir('priors-allowed-');
    writeFileSync(
      path.join(folder, 'draft.md'),
      'Instruction tuning seems to make models overconfident: their stated probabilities stop matching how often they are right.\n',
    );
    execFileSync('mkfifo', [path.join(folder, 'pipe.md')]);
    s = await spawnClient(index, ['--allow-read', folder]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('related reads a draft in the allowed folder, and nothing else', async () => {
    const ok = await callToolReply(s.client, 'related', { path: path.join(folder, 'draft.md'), documents: 3 });
    expect(ok.isError).toBe(false);
    for (const p of ['/etc/passwd', '/dev/zero']) {
      const r = await callToolReply(s.client, 'related', { path: p });
      expect(r).toMatchObject({ isError: true, text: expect.stringContaining('is not in a folder this server may read') });
    }
    const fifo = await callToolReply(s.client, 'related', { path: path.join(folder, 'pipe.md') });
    expect(fifo).toMatchObject({ isError: true, text: expect.stringContaining('not a regular file') });
  });

  it('answers a 10 MB query with an error naming the limit, at once', async () => {
    const t = performance.now();
    const r = await callToolReply(s.client, 'search', { query: 'calibration '.repeat(800_000) });
    expect(r).toMatchObject({
      isError: true,
      text: `search: query: the query is longer than the limit of ${TEXT_LIMITS.query} characters`,
    });
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('answers a message over 10 MiB with a JSON-RPC error for its id, and keeps serving', async () => {
    const { env, cwd } = isolatedEnv();
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, cliArgs(index), { env, cwd });
    try {
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const reply = async (id: number) => {
        for (let i = 0; i < 300; i++) {
          const line = out.split('\n').find((l) => l.includes(`"id":${id}`));
          if (line) return JSON.parse(line) as { result?: unknown; error?: { code: number; message: string } };
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`no reply for ${id}; stderr: ${err}`);
      };
      const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      });
      expect((await reply(1)).result).toBeDefined();
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const huge = 'x'.repeat(MAX_STDIO_MESSAGE_BYTES + 1024);
      send({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'search', arguments: { query: huge } }, id: 2 });
      const refused = await reply(2);
      expect(refused.error?.code).toBe(-32600);
      expect(refused.error?.message).toMatch(/^message of \d+ bytes is over the 10485760-byte limit \(10 MiB\); it was skipped$/);
      send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
      expect((await reply(3)).result).toBeDefined();
      expect(child.exitCode).toBeNull();
      expect(err).toMatch(/priors mcp: message of \d+ bytes is over the 10485760-byte limit/);
    } finally {
      child.kill();
    }
  });
});
