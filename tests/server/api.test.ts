import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteTool } from '../../src/tools/quote.js';
import { searchTool } from '../../src/tools/search.js';
import { toolJsonSchema } from '../../src/tools/tool.js';
import type { RunningServer } from '../../src/server/start.js';
import { CORPUS } from '../helpers/paths.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { parseSse, rawRequest, startTestServer } from './server-fixture.js';

const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const VERBATIM = 'A forecaster is well calibrated if, across all the times they say "70%," the thing happens about 70% of the time.';

let ctx: ReturnType<typeof sampleContext>;
let server: RunningServer & { logs: string[] };
let base: string;

beforeAll(async () => {
  const { index } = await buildSampleIndex();
  ctx = sampleContext(index);
  server = await startTestServer(ctx);
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  await ctx?.close();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown>; res: Response }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, res };
}

async function post(path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // SSE or text bodies are checked by the caller.
  }
  return { status: res.status, body: json, text, res };
}

interface Hit {
  docId: string;
  type: string;
  date: string | null;
  citation: string;
  text: string;
  lineStart: number;
  lineEnd: number;
  highlights: [number, number][];
}

describe('health, stats, openapi', () => {
  it('GET /api/health reports the index, search mode, LLM and auth', async () => {
    const { status, body } = await get('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, index: { ready: true, documents: 14, search: 'hybrid' }, llm: false, auth: false });
  });

  it('GET /api/stats counts documents by type and tag', async () => {
    const { status, body } = await get('/api/stats');
    expect(status).toBe(200);
    expect(body).toMatchObject({ documents: 14, byType: { post: 12, interview: 2 } });
    expect((body.byTag as Record<string, number>).calibration).toBeGreaterThan(0);
    expect(body.chunks).toBeGreaterThan(14);
  });

  it('GET /api/openapi.json is generated from the tool schemas', async () => {
    const { status, body } = await get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string; schema: unknown; style?: string }[];
          requestBody?: { content: Record<string, { schema: unknown }> };
        }
      >
    >;
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/api/ask',
        '/api/check',
        '/api/cite',
        '/api/documents',
        '/api/documents/{docId}',
        '/api/health',
        '/api/links',
        '/api/quote',
        '/api/related',
        '/api/roots',
        '/api/roots/{name}',
        '/api/search',
        '/api/stats',
        '/api/timeline',
      ].sort(),
    );
    const { $schema: _s, ...searchSchema } = toolJsonSchema(searchTool) as { properties: Record<string, unknown> } & Record<
      string,
      unknown
    >;
    const params = paths['/api/search']!.get!.parameters!;
    expect(params.map((p) => p.name)).toEqual(Object.keys(searchSchema.properties));
    expect(params.find((p) => p.name === 'type')).toMatchObject({ in: 'query', style: 'form', schema: { type: 'array' } });
    const { $schema: _q, ...quoteSchema } = toolJsonSchema(quoteTool);
    expect(paths['/api/quote']!.post!.requestBody!.content['application/json']!.schema).toEqual(quoteSchema);
    expect(paths['/api/documents/{docId}']!.get!.parameters!.find((p) => p.name === 'docId')).toMatchObject({ in: 'path' });
  });

  it('unknown API paths are a JSON 404', async () => {
    const { status, body } = await get('/api/nope');
    expect(status).toBe(404);
    expect(body.error).toMatch(/no such endpoint: GET \/api\/nope/);
  });
});

describe('GET /api/search', () => {
  it('returns cited passages with highlight spans on query words', async () => {
    const { status, body } = await get('/api/search?query=calibration&k=3');
    expect(status).toBe(200);
    const results = body.results as Hit[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    const top = results[0]!;
    expect(top.docId).toBe(CALIBRATION);
    expect(top.citation).toBe(`${CALIBRATION}:${top.lineStart}${top.lineEnd > top.lineStart ? `-${top.lineEnd}` : ''}`);
    expect(top.highlights.length).toBeGreaterThan(0);
    for (const [s, e] of top.highlights) expect(top.text.slice(s, e).toLowerCase()).toContain('calibrat');
  });

  it('maps repeated and comma-separated array params and date filters', async () => {
    const repeated = (await get('/api/search?query=models&k=20&type=interview&type=chapter')).body.results as Hit[];
    const comma = (await get('/api/search?query=models&k=20&type=interview,chapter')).body.results as Hit[];
    expect(repeated.length).toBeGreaterThan(0);
    expect(repeated.every((r) => r.type === 'interview' || r.type === 'chapter')).toBe(true);
    expect(comma.map((r) => r.citation)).toEqual(repeated.map((r) => r.citation));

    const dated = (await get('/api/search?query=models&k=20&since=2024&until=2024-12')).body.results as Hit[];
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.every((r) => r.date !== null && r.date >= '2024' && r.date < '2025')).toBe(true);
  });

  it('groups by document when asked', async () => {
    const results = (await get('/api/search?query=evaluation&k=12&group=document&perDoc=2')).body.results as Hit[];
    const order = results.map((r) => r.docId);
    // Each document's passages are contiguous.
    expect(new Set(order).size).toBe(order.filter((d, i) => d !== order[i - 1]).length);
  });

  it('answers 100 concurrent searches without an error (excess requests wait for a slot)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${base}/api/search?query=${['calibration', 'reward model', 'open models', 'benchmarks'][i % 4]}&k=5`).then(
          async (r) => (await r.text(), r.status),
        ),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('bad params are a 400 that names the field, never a 500', async () => {
    for (const [qs, field] of [
      ['query=x&k=abc', 'k'],
      ['query=x&k=999', 'k'],
      ['query=x&mode=fuzzy', 'mode'],
      ['query=x&since=last-week', 'since'],
      ['k=3', 'query'],
      ['query=%20', 'query'],
      ['query=x&k=1&k=2', 'k'],
    ] as const) {
      const { status, body } = await get(`/api/search?${qs}`);
      expect(status, qs).toBe(400);
      expect(body.error, qs).toMatch(/^search: /);
      expect(
        (body.issues as { path: string }[]).some((i) => i.path === field),
        qs,
      ).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|\.ts:\d+/);
    }
    const unknown = await get('/api/search?query=x&bogus=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/bogus/);
  });
});

describe('POST /api/quote', () => {
  it('verifies a verbatim quote with its location', async () => {
    const { status, body } = await post('/api/quote', { text: VERBATIM });
    expect(status).toBe(200);
    expect(body.verdict).toBe('verified');
    expect((body.locations as { docId: string; citation: string }[])[0]).toMatchObject({
      docId: CALIBRATION,
      citation: `${CALIBRATION}:11`,
    });
  });

  it('verifies a guest quote with an elision, naming the guest, her time and each fragment', async () => {
    const text = 'So the model learns to sound like the kind of person who says ninety … the fix we’ve had most luck with is aggregation';
    const { status, body } = await post('/api/quote', { text });
    expect(status).toBe(200);
    expect(body).toMatchObject({ verdict: 'verified_with_elisions', speaker: 'Ines Okafor', role: 'guest', timestamp: '00:03:04' });
    expect((body.fragments as { timestamp: string }[]).map((f) => f.timestamp)).toEqual(['00:03:04', '00:03:17']);
  });

  it('rejects bad bodies with a clear 4xx', async () => {
    const bad = await post('/api/quote', '{"text": "unterminated');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);

    const empty = await post('/api/quote', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/empty/);

    const array = await post('/api/quote', [VERBATIM]);
    expect(array.status).toBe(400);
    expect(array.body.error).toMatch(/JSON object/);

    const missing = await post('/api/quote', { txt: VERBATIM });
    expect(missing.status).toBe(400);
    expect((missing.body.issues as { path: string }[]).map((i) => i.path)).toContain('text');

    const wrongType = await post('/api/quote', { text: VERBATIM, limit: '3' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatch(/limit/);

    const form = await post('/api/quote', 'text=hello', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error).toMatch(/Content-Type: application\/json/);

    // Own connection: the server drops a connection whose oversized upload it refused.
    const huge = await rawRequest(base, '/api/quote', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).error).toMatch(/larger than 2 MB/);
  });
});

describe('GET /api/cite', () => {
  it('cites a line range in the chosen format', async () => {
    const md = await get(`/api/cite?docId=${encodeURIComponent(CALIBRATION)}&lineStart=11&lineEnd=11`);
    expect(md.status).toBe(200);
    expect(md.body.citation).toMatch(/^> Calibration is one of those words/);
    // The link carries a text fragment to the quoted words.
    expect(md.body.citation).toContain(
      '[What calibration actually measures](https://fieldnotes.example.com/p/what-calibration-measures#:~:text=',
    );
    expect(md.body.citation).toContain(`), November 8, 2022 (${CALIBRATION}:11)`);

    const fn = await get(`/api/cite?docId=${CALIBRATION}&lineStart=11&format=footnote`);
    expect(fn.body.citation).toMatch(
      /\[\^2022-11-08-what-calibration-measures-11\]: (.*, )?What calibration actually measures, November 8, 2022\./,
    );
  });

  it('404s a docId not in the index and 400s bad ranges and traversal', async () => {
    expect((await get('/api/cite?docId=posts/nope.md')).status).toBe(404);
    expect((await get(`/api/cite?docId=${CALIBRATION}&lineStart=9&lineEnd=3`)).status).toBe(400);
    expect((await get(`/api/cite?docId=${CALIBRATION}&lineStart=99999`)).status).toBe(400);
    const esc = await get(`/api/cite?docId=${encodeURIComponent('../../../etc/passwd')}`);
    expect(esc.status).toBe(400);
    expect(esc.body.error).toMatch(/not a document id/);
    expect((await get(`/api/cite?docId=${encodeURIComponent('/etc/passwd')}`)).status).toBe(400);
  });
});

describe('GET /api/documents', () => {
  it('lists, filters and pages documents', async () => {
    const all = await get('/api/documents');
    expect(all.body.total).toBe(14);
    const interviews = await get('/api/documents?type=interview');
    expect(interviews.body.total).toBe(2);
    expect((await get('/api/documents?root=corpus')).body.total).toBe(14);
    // A root the index lacks is a 400 naming the valid ones, not an empty list.
    const other = await get('/api/documents?root=other');
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toMatch(/no root \\"other\\" in this index; its roots: corpus/);
    const roots = await get('/api/roots');
    expect(roots.body.roots).toMatchObject([{ name: 'corpus', documents: 14, missing: false }]);
    const page = await get('/api/documents?limit=2&offset=1&sort=date-asc');
    expect((page.body.documents as unknown[]).length).toBe(2);
    expect(page.body.offset).toBe(1);
    expect((await get('/api/documents?limit=0')).status).toBe(400);
  });

  it('reads a document by id, with slashes raw or URL-encoded, and line ranges', async () => {
    const raw = await get(`/api/documents/${CALIBRATION}?lineStart=11&lineEnd=13`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ docId: CALIBRATION, lineStart: 11, lineEnd: 13 });
    expect(raw.body.text).toMatch(/^Calibration is one of those words/);
    const encoded = await get(`/api/documents/${encodeURIComponent(CALIBRATION)}?lineStart=11&lineEnd=13`);
    expect(encoded.body).toEqual(raw.body);
    const whole = await get(`/api/documents/${CALIBRATION}`);
    expect(whole.body.lineStart).toBe(1);
    expect(whole.body.turns).toEqual([]);
    // Read page by page (as the reader does), every page holds exactly its lines and the pages add up to the file.
    const file = readFileSync(path.join(CORPUS, CALIBRATION.replace(/^corpus\//, '')), 'utf8');
    const longLine = (await get(`/api/documents/${CALIBRATION}?lineStart=11&maxChars=100`)).body;
    expect(longLine).toMatchObject({ lineStart: 11, lineEnd: 11, truncated: true, nextLine: 12 });
    const longest = Math.max(...file.split('\n').map((l) => l.length));
    for (const maxChars of [longest, longest + 37, 2 * longest, 5 * longest]) {
      const lines: string[] = [];
      for (let next: number | null = 1; next !== null; ) {
        const pageOut = (await get(`/api/documents/${CALIBRATION}?lineStart=${next}&maxChars=${maxChars}`)).body as {
          text: string;
          lineStart: number;
          lineEnd: number;
          nextLine: number | null;
        };
        const pageLines = pageOut.text.split('\n');
        expect(pageLines.length, `maxChars ${maxChars} from line ${next}`).toBe(pageOut.lineEnd - pageOut.lineStart + 1);
        expect(pageOut.lineStart).toBe(lines.length + 1);
        lines.push(...pageLines);
        next = pageOut.nextLine;
      }
      expect(lines.join('\n')).toBe(file);
    }
    // An interview's page says where each speaker turn starts (the reader labels them).
    const talk = await get('/api/documents/corpus/posts/2024/2024-05-14-interview-ines-okafor.md?lineStart=25&lineEnd=30');
    expect(talk.body.turns).toEqual([
      { line: 25, speaker: 'Mara Quill', timestamp: '00:00:00' },
      { line: 27, speaker: 'Ines Okafor', timestamp: '00:00:13' },
      { line: 29, speaker: 'Mara Quill', timestamp: '00:00:25' },
    ]);
    expect((await get(`/api/documents/${CALIBRATION}?lineStart=5000`)).status).toBe(400);
  });

  it('refuses ids outside the index and traversal, never reading the file', async () => {
    expect((await get('/api/documents/posts/2099/not-there.md')).status).toBe(404);
    for (const p of [
      '/api/documents/..%2F..%2F..%2Fetc%2Fpasswd',
      '/api/documents/posts/..%2F..%2Fpackage.json',
      '/api/documents/%2Fetc%2Fpasswd',
      '/api/documents/..%5C..%5Cwindows%5Cwin.ini',
    ]) {
      const res = await rawRequest(base, p);
      expect(res.status, p).toBe(400);
      expect(res.body, p).not.toMatch(/root:|"name": "priors"/);
    }
    // Literal dot segments: refused or resolved away by URL parsing — never a file outside the index.
    // (URL parsing also treats %2e%2e as a dot segment.)
    for (const p of [
      '/api/documents/../../../etc/passwd',
      '/api/documents/posts/../../package.json',
      '/api/documents/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const res = await rawRequest(base, p);
      expect([400, 404], p).toContain(res.status);
      expect(res.body, p).not.toMatch(/root:|"name": "priors"/);
    }
  });
});

describe('POST /api/related and GET /api/timeline', () => {
  it('finds prior writing related to a pasted draft', async () => {
    const draft =
      'Reward models get over-optimised: the policy learns to exploit quirks of the reward model instead of getting better.\n\nBenchmarks saturate and get contaminated, so evaluations stop measuring progress.';
    const { status, body } = await post('/api/related', { text: draft, documents: 3 });
    expect(status).toBe(200);
    const docs = body.documents as { docId: string; passages: { citation: string; draftExcerpt: string }[] }[];
    expect(docs.length).toBe(3);
    expect(docs[0]!.passages[0]!.draftExcerpt.length).toBeGreaterThan(0);
  });

  it('refuses a file path over HTTP', async () => {
    const { status, body } = await post('/api/related', { path: '/etc/passwd' });
    expect(status).toBe(400);
    expect(body.error).toMatch(/path is not accepted here/);
    expect(JSON.stringify(body)).not.toMatch(/root:/);
  });

  it('places documents on a timeline, oldest first', async () => {
    const { status, body } = await get('/api/timeline?topic=calibration&limit=4');
    expect(status).toBe(200);
    const dates = (body.entries as { date: string }[]).map((e) => e.date);
    // Only documents that mention calibration (3 in the sample corpus, one of them barely) make the timeline.
    expect(dates.length).toBeGreaterThanOrEqual(2);
    expect(dates.length).toBeLessThanOrEqual(4);
    expect(body.years).toEqual(expect.arrayContaining([expect.objectContaining({ year: 2022, count: 1, shown: 1 })]));
    expect([...dates].sort()).toEqual(dates);
    expect((await get('/api/timeline')).status).toBe(400);
  });
});

describe('POST /api/ask without an LLM', () => {
  it('streams the offline extractive answer as SSE: start, result, done', async () => {
    const { status, res, text } = await post('/api/ask', { question: 'calibration', documents: 2 });
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['start', 'result', 'done']);
    expect(events[0]!.data).toEqual({ type: 'start', mode: 'offline', question: 'calibration' });
    const result = events[1]!.data.result as { documents: { docId: string; passages: Hit[] }[] };
    expect(result.documents.length).toBe(2);
    expect(result.documents[0]!.passages[0]!.highlights.length).toBeGreaterThan(0);
    expect(events[2]!.data.answer).toMatch(/calibration/i);
    for (const e of events) expect(e.data.type).toBe(e.event);
  });

  it('validates before streaming: a bad body is a JSON 400', async () => {
    const { status, body, res } = await post('/api/ask', { question: '' });
    expect(status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(body.error).toMatch(/question/);
  });
});

describe('static page', () => {
  it('serves the page and its modules with a strict CSP', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<script type="module" src="app.js">/);
    const js = await fetch(`${base}/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves the markdown renderer the reader imports from the installed package, and no other vendor path', async () => {
    const md = await fetch(`${base}/vendor/markdown-it.mjs`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toMatch(/javascript/);
    expect(await md.text()).toMatch(/^\/\*! markdown-it \d+\.\d+\.\d+/);
    expect((await fetch(`${base}/vendor/markdown-it.js`)).status).toBe(404);
    expect((await fetch(`${base}/vendor/../package.json`)).status).toBe(404);
  });

  it('never serves files outside web/', async () => {
    for (const p of [
      '/../package.json',
      '/..%2Fpackage.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fsrc%2fserver%2fapp.ts',
      '/..\\package.json',
      '/.gitignore',
      '/web/../package.json',
      '/%00index.html',
    ]) {
      const res = await rawRequest(base, p);
      // 400 is the HTTP layer rejecting a malformed URL (e.g. a backslash) before routing.
      expect([400, 404], p).toContain(res.status);
      expect(res.body, p).not.toMatch(/"name": "priors"|createApp/);
    }
  });

  it('refuses a non-loopback Host header (DNS rebinding) when there is no token', async () => {
    const res = await rawRequest(base, '/api/health', { headers: { host: 'attacker.example:80' } });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toMatch(/loopback host name/);
    expect((await rawRequest(base, '/api/health', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('logged no unexpected errors', () => {
    expect(server.logs).toEqual([]);
  });
});

describe('error mapping', () => {
  it('no index: 503 with the message on data endpoints, health still 200', async () => {
    const missing = sampleContext('/nonexistent/priors-index');
    const s = await startTestServer(missing);
    try {
      const search = await fetch(`${s.url}/api/search?query=x`);
      expect(search.status).toBe(503);
      expect(((await search.json()) as { error: string }).error).toMatch(
        /no index at \/nonexistent\/priors-index — run `priors ingest` first/,
      );
      const ask = await fetch(`${s.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"question":"x"}',
      });
      expect(ask.status).toBe(503);
      const health = await fetch(`${s.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, index: { ready: false, error: expect.stringMatching(/no index/) } });
      expect(s.logs).toEqual([]);
    } finally {
      await s.close();
      await missing.close();
    }
  });

  it('an unexpected failure is a 500 with its one-line message, no stack, and is logged', async () => {
    const fail = () => Promise.reject(new Error('disk on fire\n    at secret (/srv/x.ts:1:1)'));
    const broken = { store: fail, retriever: fail };
    const s = await startTestServer(broken);
    try {
      const res = await fetch(`${s.url}/api/documents`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'disk on fire' });
      expect(s.logs).toEqual([expect.stringMatching(/GET \/api\/documents: disk on fire/)]);
    } finally {
      await s.close();
    }
  });
});
