import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MiddlewareHandler } from 'hono';

/** `web/` of the installed package: the same relative place from src/server (tsx) and dist/server. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const require = createRequire(import.meta.url);

/**
 * Browser builds of dependencies the page imports, served from the installed package by a fixed URL (never
 * copied into web/, so the lock file stays the one source of their version). Resolved through each package's
 * exported package.json, so whatever its `exports` map allows.
 */
const VENDOR: Record<string, () => string> = {
  // The reader renders documents with it (raw HTML disabled; see web/markdown.js).
  '/vendor/markdown-it.mjs': () =>
    path.join(path.dirname(require.resolve('markdown-it/package.json')), 'dist/browser/markdown-it.esm.min.mjs'),
};

/**
 * The file under `root` a URL path names, or null: only known file types, no dot-files, and the
 * resolved path must stay inside `root` whatever the URL encodes (`..`, `%2e%2e`, backslashes).
 */
export function resolveWebPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (rel.split('/').some((seg) => seg === '' || seg.startsWith('.'))) return null;
  if (!Object.hasOwn(TYPES, path.extname(rel).toLowerCase())) return null;
  const base = path.resolve(root);
  const full = path.resolve(base, rel);
  const inside = path.relative(base, full);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return full;
}

/** Serves the page and its modules from disk (no build step); anything else falls through to 404. */
export function serveWeb(root = DEFAULT_WEB_ROOT): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const file = Object.hasOwn(VENDOR, c.req.path) ? (VENDOR[c.req.path]?.() ?? null) : resolveWebPath(root, c.req.path);
    if (!file) return next();
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return next();
      body = await readFile(file);
    } catch {
      return next();
    }
    c.header('Content-Type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    // Files change only with the package; revalidating is cheap on loopback and never serves a stale page.
    c.header('Cache-Control', 'no-cache');
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(new Uint8Array(body), 200);
  };
}
