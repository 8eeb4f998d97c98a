import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, spawnPriors, waitFor } from '../helpers/cli-process.js';
import { MODEL_DIR } from '../helpers/paths.js';
import { buildSampleIndex } from '../helpers/sample-index.js';

const TOKEN = 'cli-test-token-0123456789';

let index: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  index = (await buildSampleIndex()).index;
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('priors serve', () => {
  it('refuses to bind a non-loopback address without a token', async () => {
    const run = collect(spawnPriors(['serve', '--host', '0.0.0.0', '--port', '0', '--index', index]));
    expect(await run.exit).toBe(2);
    expect(run.err()).toBe(
      'error: refusing to serve on 0.0.0.0 without an access token: pass --token or set PRIORS_TOKEN (or bind to 127.0.0.1)\n',
    );
  });

  it('serves on loopback, answers the API, mounts /mcp and stops on SIGTERM', async () => {
    const child = spawnPriors(['serve', '--port', '0', '--index', index, '--model-dir', MODEL_DIR]);
    children.push(child);
    const run = collect(child);
    const url = await waitFor(() => /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.out())?.[1] ?? null, 30_000, 'the server URL');
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, llm: false, auth: false, index: { ready: true, documents: 14 } });
    const mcp = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(mcp.status).toBe(200);
    expect(JSON.stringify(await mcp.json())).toMatch(/"search"/);
    child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('binds any address with PRIORS_TOKEN, and then wants it on every call', async () => {
    const child = spawnPriors(['serve', '--host', '0.0.0.0', '--port', '0', '--index', index, '--model-dir', MODEL_DIR], {
      PRIORS_TOKEN: TOKEN,
    });
    children.push(child);
    const run = collect(child);
    const port = await waitFor(() => /:(\d+)\//.exec(run.out())?.[1] ?? null, 30_000, 'the server port');
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(401);
    expect((await fetch(`${base}/mcp`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect(run.err()).toMatch(/reachable from other machines/);
    child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });
});
