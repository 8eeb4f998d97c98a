import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { PriorsError } from '../core/errors.js';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4747`. */
  url: string;
  port: number;
  host: string;
  /** Stop accepting, end open connections (SSE streams included) and resolve once closed. */
  close(): Promise<void>;
}

/** `http://[::1]:4747` needs brackets; names and IPv4 don't. */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Listen on host:port (port 0 picks a free one); a busy or forbidden port is a one-line PriorsError. */
export function startServer(app: Hono, opts: { host: string; port: number }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `port ${opts.port} on ${opts.host} is already in use — pick another with --port`
          : err.code === 'EACCES'
            ? `not allowed to listen on ${opts.host}:${opts.port} — use a port above 1024`
            : err.code === 'EADDRNOTAVAIL'
              ? `${opts.host} is not an address of this machine`
              : `cannot listen on ${opts.host}:${opts.port} (${err.message})`;
      reject(new PriorsError(why));
    };
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
      server.off('error', onError);
      resolve({
        url: `http://${urlHost(opts.host)}:${info.port}`,
        port: info.port,
        host: opts.host,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    }) as Server;
    server.once('error', onError);
  });
}
