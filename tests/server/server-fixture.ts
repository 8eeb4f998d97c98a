import { request } from 'node:http';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import type { ToolContext } from '../../src/tools/tool.js';

/** A real server on 127.0.0.1 (free port) over the given context; errors logged by the app are collected. */
export async function startTestServer(
  ctx: ToolContext,
  opts: Omit<AppOptions, 'ctx' | 'log'> = {},
): Promise<RunningServer & { logs: string[] }> {
  const logs: string[] = [];
  const app = createApp({ ctx, log: (m) => logs.push(m), ...opts });
  const server = await startServer(app, { host: '127.0.0.1', port: 0 });
  return Object.assign(server, { logs });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request sent exactly as written (fetch would normalise `..` and forbids a custom Host header),
 * for traversal and DNS-rebinding checks.
 */
export function rawRequest(
  base: string,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: rawPath, headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    // After a response has resolved, a later socket error (the server closing a refused upload) is moot.
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Parse a whole `text/event-stream` body into events (comment lines skipped). */
export function parseSse(text: string): SseEvent[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .flatMap((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return data.length ? [{ event, data: JSON.parse(data.join('\n')) as Record<string, unknown> }] : [];
    });
}
