import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { UsageError } from '../core/errors.js';
import { HttpError } from './errors.js';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Weak tokens invite guessing over the network; the rule is the same for --token and PRIORS_TOKEN. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * The token a server on `host` must use: any non-loopback address needs one; on loopback it is optional.
 * Throws a UsageError naming how to provide one.
 */
export function resolveToken(host: string, token: string | undefined): string | null {
  const t = token?.trim() ? token.trim() : null;
  if (t && t.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(
      `the access token is too short (${t.length} characters); use at least ${MIN_TOKEN_LENGTH}, e.g. \`openssl rand -hex 24\``,
    );
  }
  if (!t && !isLoopbackHost(host)) {
    throw new UsageError(`refusing to serve on ${host} without an access token: pass --token or set PRIORS_TOKEN (or bind to 127.0.0.1)`);
  }
  return t;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Paths that carry archive data and so need the token: the JSON API and the MCP endpoint. */
export function isProtectedPath(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p === '/mcp' || p.startsWith('/mcp/');
}

/** `Authorization: Bearer <token>` on every API and MCP request; compared in constant time. */
export function requireToken(token: string): MiddlewareHandler {
  const want = digest(token);
  return async (c, next) => {
    if (c.req.method === 'OPTIONS' || !isProtectedPath(c.req.path)) return next();
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m) {
      c.header('WWW-Authenticate', 'Bearer realm="priors"');
      throw new HttpError(401, 'this server needs an access token: send "Authorization: Bearer <token>"');
    }
    if (!timingSafeEqual(digest(m[1]!.trim()), want)) {
      c.header('WWW-Authenticate', 'Bearer realm="priors", error="invalid_token"');
      throw new HttpError(401, 'the access token is wrong');
    }
    return next();
  };
}

/**
 * Without a token the server trusts loopback alone, so a web page elsewhere must not reach it through a
 * DNS name that resolves to 127.0.0.1 (DNS rebinding): only loopback Host headers are served.
 */
export function requireLoopbackHostHeader(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    const name = host.replace(/:\d+$/, '');
    if (!isLoopbackHost(name)) throw new HttpError(403, `requests to this server must use a loopback host name, not "${host}"`);
    return next();
  };
}
