import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLimiter } from '../../src/server/limit.js';
import { queryToInput } from '../../src/server/query.js';
import { assertIndexId } from '../../src/server/routes.js';
import { DEFAULT_WEB_ROOT, resolveWebPath } from '../../src/server/static.js';
import { citeTool } from '../../src/tools/cite.js';
import { searchTool } from '../../src/tools/search.js';
import { parseToolInput } from '../../src/tools/tool.js';

const qs = (s: string) => new URLSearchParams(s);

describe('queryToInput (GET params → tool input, from the zod shape)', () => {
  it('coerces numbers, collects arrays from repeats and commas, keeps strings', () => {
    expect(queryToInput(searchTool.input, qs('query=a,b&k=5&type=post&type=transcript,record&tag=x&mode=bm25'))).toEqual({
      query: 'a,b',
      k: 5,
      type: ['post', 'transcript', 'record'],
      tag: ['x'],
      mode: 'bm25',
    });
  });

  it('drops empty optional fields (what an HTML form sends) but keeps an empty required one', () => {
    expect(queryToInput(searchTool.input, qs('query=&since=&until=&type=&k='))).toEqual({ query: '' });
  });

  it('leaves wrong values for zod to name', () => {
    const raw = queryToInput(searchTool.input, qs('query=x&k=ten&perDoc=1&perDoc=2&extra=1'));
    expect(raw).toEqual({ query: 'x', k: 'ten', perDoc: [1, 2], extra: '1' });
    expect(() => parseToolInput(searchTool, raw)).toThrow(/k: Invalid input: expected number, received string.*perDoc.*extra/);
  });

  it('works through refinements and defaults (cite)', () => {
    const raw = queryToInput(citeTool.input, qs('docId=posts/a.md&lineStart=3&lineEnd=4&format=footnote'));
    expect(raw).toEqual({ docId: 'posts/a.md', lineStart: 3, lineEnd: 4, format: 'footnote' });
    expect(parseToolInput(citeTool, raw)).toEqual(raw);
  });

  it('handles booleans and numeric arrays generically', () => {
    const schema = z
      .object({ flag: z.boolean().optional(), ns: z.array(z.number()).optional(), n: z.number().nullable().optional() })
      .strict();
    expect(queryToInput(schema, qs('flag=true&ns=1,2&ns=3&n=0'))).toEqual({ flag: true, ns: [1, 2, 3], n: 0 });
    expect(queryToInput(schema, qs('flag=0'))).toEqual({ flag: false });
    expect(queryToInput(schema, qs('flag=maybe&ns=x'))).toEqual({ flag: 'maybe', ns: ['x'] });
  });
});

describe('assertIndexId', () => {
  it('accepts index ids and refuses path escapes', () => {
    for (const id of ['posts/2024/x.md', 'archive.jsonl#42', 'a..b.md', 'notes/..hidden.md'])
      expect(() => assertIndexId(id), id).not.toThrow();
    for (const id of [
      '../x',
      'posts/../../x',
      '/etc/passwd',
      '\\\\server\\share',
      'C:\\Windows\\win.ini',
      'c:/x',
      'a\0b',
      'posts\\..\\..\\x',
    ]) {
      expect(() => assertIndexId(id), id).toThrow(/not a document id/);
    }
  });
});

describe('resolveWebPath', () => {
  const root = DEFAULT_WEB_ROOT;
  it('maps page paths into web/', () => {
    expect(resolveWebPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveWebPath(root, '/app.js')).toBe(path.join(root, 'app.js'));
  });

  it('refuses anything that could leave web/ or expose dot-files', () => {
    for (const p of [
      '/../package.json',
      '/..%2Fpackage.json',
      '/%2e%2e/package.json',
      '/a/../../x.js',
      '/.env.json',
      '/%00.js',
      '/..\\x.js',
      '/%E0%A4%A.js',
      '/x.ts',
      '/dir/',
    ]) {
      expect(resolveWebPath(root, p), p).toBeNull();
    }
  });
});

describe('createLimiter', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs at most max jobs at once, in arrival order, and refuses past the queue', async () => {
    const limiter = createLimiter(2, 2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        order.push(n);
        gates.push(() => {
          running--;
          resolve(n);
        });
      });
    const runs = [1, 2, 3, 4].map((n) => limiter.run(job(n)));
    await tick();
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(2);
    await expect(limiter.run(job(5))).rejects.toThrow(/busy/);
    while (gates.length) {
      gates.shift()!();
      await tick();
    }
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it('skips a queued job whose caller has gone, and frees its slot', async () => {
    const limiter = createLimiter(1, 5);
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const abort = new AbortController();
    let ran = false;
    const second = limiter.run(async () => {
      ran = true;
    }, abort.signal);
    abort.abort();
    release();
    await first;
    await expect(second).rejects.toThrow(/closed/);
    expect(ran).toBe(false);
    expect(limiter.active).toBe(0);
    await limiter.run(async () => undefined);
  });

  it('a failing job frees its slot', async () => {
    const limiter = createLimiter(1, 1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 7)).toBe(7);
  });
});
