import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { isLoopbackHost, resolveToken } from '../../src/server/auth.js';
import type { RunningServer } from '../../src/server/start.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { rawRequest, startTestServer } from './server-fixture.js';

const TOKEN = 'a-long-enough-test-token-123';

let ctx: ReturnType<typeof sampleContext>;
let server: RunningServer & { logs: string[] };

beforeAll(async () => {
  const { index } = await buildSampleIndex();
  ctx = sampleContext(index);
  server = await startTestServer(ctx, {
    token: TOKEN,
    corsOrigins: ['http://localhost:3000'],
    // Stands in for the MCP endpoint another module mounts: it must get the same token rule.
    mount: (app, mountedCtx) => {
      app.post('/mcp', (c) => c.json({ mounted: true, fileAccess: mountedCtx.fileAccess ?? 'none' }));
    },
  });
});

afterAll(async () => {
  await server?.close();
  await ctx?.close();
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('token rule', () => {
  it('refuses every API call without the token, with a one-line 401', async () => {
    for (const [method, path] of [
      ['GET', '/api/health'],
      ['GET', '/api/search?query=x'],
      ['GET', '/api/openapi.json'],
      ['GET', '/api/documents/corpus/posts/2022/2022-11-08-what-calibration-measures.md'],
      ['POST', '/api/quote'],
      ['POST', '/api/ask'],
      ['GET', '/api/nope'],
      ['POST', '/mcp'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : null,
      });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: string }).error, path).toMatch(/access token/);
    }
  });

  it('refuses a wrong token and accepts the right one', async () => {
    const wrong = await fetch(`${server.url}/api/health`, { headers: bearer('not-the-token-at-all') });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('the access token is wrong');

    const ok = await fetch(`${server.url}/api/health`, { headers: bearer(TOKEN) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ auth: true, index: { ready: true } });

    const search = await fetch(`${server.url}/api/search?query=calibration&k=1`, { headers: bearer(TOKEN) });
    expect(search.status).toBe(200);
  });

  it('applies to mounted routes (/mcp), which get the no-file-read context', async () => {
    const res = await fetch(`${server.url}/mcp`, { method: 'POST', headers: bearer(TOKEN) });
    expect(await res.json()).toEqual({ mounted: true, fileAccess: 'none' });
  });

  it('serves the page itself without a token (it holds no archive data)', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/id="token-dialog"/);
  });

  it('with a token, any Host header is accepted (the token is the guard)', async () => {
    const res = await rawRequest(server.url, '/api/health', { headers: { host: 'priors.lan:4747', ...bearer(TOKEN) } });
    expect(res.status).toBe(200);
  });

  it('CORS only for the configured origin, and preflight passes without a token', async () => {
    const pre = await fetch(`${server.url}/api/search`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);

    const other = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example', ...bearer(TOKEN) } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('no CORS by default', () => {
  it('sends no Access-Control headers', async () => {
    const plain = await startTestServer(ctx);
    try {
      const res = await fetch(`${plain.url}/api/health`, { headers: { origin: 'http://localhost:3000' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});

describe('resolveToken / isLoopbackHost', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST', 'app.localhost'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '128.0.0.1', '']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('requires a token off loopback and a long enough one anywhere', () => {
    expect(resolveToken('127.0.0.1', undefined)).toBeNull();
    expect(resolveToken('127.0.0.1', '   ')).toBeNull();
    expect(resolveToken('0.0.0.0', TOKEN)).toBe(TOKEN);
    expect(() => resolveToken('0.0.0.0', undefined)).toThrow(UsageError);
    expect(() => resolveToken('0.0.0.0', undefined)).toThrow(
      /refusing to serve on 0.0.0.0 without an access token: pass --token or set PRIORS_TOKEN/,
    );
    expect(() => resolveToken('192.168.1.5', '')).toThrow(UsageError);
    expect(() => resolveToken('127.0.0.1', 'short')).toThrow(/too short/);
  });
});
