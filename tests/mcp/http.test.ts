import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountMcp, originAllowed } from '../../src/mcp/http.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { callToolReply } from './mcp-client.js';

const TOKEN = 'test-token';
const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';

let ctx: ReturnType<typeof sampleContext>;
let server: ServerType;
let base: string;
const clients: Client[] = [];

beforeAll(async () => {
  const { index } = await buildSampleIndex();
  ctx = sampleContext(index);
  const app = new Hono();
  // Stands in for the serve app's token rule: registered before the mount, so it guards /mcp too.
  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${TOKEN}`) return c.json({ error: 'unauthorized' }, 401);
    await next();
  });
  mountMcp(app, () => ctx);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

async function connect(): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(base), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
  const client = new Client({ name: 'priors-http-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const post = (body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(base, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

describe('MCP over Streamable HTTP (mountMcp)', () => {
  it('serves the same tools, with results as text and structured content', async () => {
    const client = await connect();
    expect(client.getServerVersion()?.name).toBe('priors');
    // remove_root too is left out: the mount offers only tools that read (McpServerOptions.allowWrites).
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('remove_root');
    expect((await client.listTools()).tools).toHaveLength(11);
    const r = await callToolReply(client, 'search', { query: 'what calibration measures', k: 3 });
    expect(r.isError).toBe(false);
    expect((r.structured?.results as { docId: string }[])[0]?.docId).toBe(CALIBRATION);
  });

  it('refuses to read local files for a network caller', async () => {
    const client = await connect();
    const r = await callToolReply(client, 'related', { path: '/etc/hostname' });
    expect(r).toMatchObject({ isError: true, text: 'related: path is not accepted here; send the draft as text' });
  });

  it('reads document resources', async () => {
    const client = await connect();
    const { contents } = await client.readResource({ uri: `priors://doc/${CALIBRATION}` });
    expect((contents[0] as { text: string }).text).toContain('Calibration is one of those words');
  });

  it('is behind the app middleware mounted before it', async () => {
    const res = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('answers GET and DELETE with 405 (stateless, no stream to open)', async () => {
    const res = await fetch(base, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('rejects browser requests from non-loopback origins', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    expect((await post(init, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(init, { origin: 'http://localhost:5173' })).status).toBe(200);
    expect(originAllowed(undefined)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080')).toBe(true);
    expect(originAllowed('http://127.0.0.1.evil.example')).toBe(false);
  });

  it('keeps serving other clients after one disconnects in the middle of a call', async () => {
    const aborter = new AbortController();
    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'timeline', arguments: { topic: 'reward models' } } };
    const pending = post(call, {}, aborter.signal).catch((e: unknown) => e);
    setTimeout(() => aborter.abort(), 5);
    expect(await pending).toBeInstanceOf(Error);
    const client = await connect();
    const r = await callToolReply(client, 'list_documents', { limit: 1 });
    expect(r.isError).toBe(false);
    expect(r.structured?.total).toBeGreaterThan(10);
  });
});
