import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { checkTool } from '../tools/check.js';
import { citeTool } from '../tools/cite.js';
import { getDocumentTool } from '../tools/get-document.js';
import { highlightSearch, highlightTimeline } from '../tools/highlight.js';
import { linksTool } from '../tools/links.js';
import { listDocumentsTool } from '../tools/list-documents.js';
import { quoteTool } from '../tools/quote.js';
import { relatedTool } from '../tools/related.js';
import { listRootsTool, removeRootTool } from '../tools/roots.js';
import { searchTool } from '../tools/search.js';
import { statsTool } from '../tools/stats.js';
import { timelineTool } from '../tools/timeline.js';
import { parseToolInput, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { HttpError } from './errors.js';
import type { Limiter } from './limit.js';
import { queryToInput } from './query.js';

/** One JSON endpoint over one shared tool: where its input comes from is the only thing a route says. */
export interface ToolRoute {
  /** GET and DELETE take their input from the query string (and path); POST from a JSON body. */
  method: 'get' | 'post' | 'delete';
  /** Hono path. */
  path: string;
  /** OpenAPI path template. */
  openapiPath: string;
  tool: ToolDefinition;
  /** Input field taken from the URL path instead of the query string (documents/:id). */
  pathField?: string;
  summary: string;
  run(ctx: ToolContext, raw: Record<string, unknown>): Promise<unknown>;
}

function toolRoute<S extends z.ZodObject, O>(
  def: Omit<ToolRoute, 'tool' | 'run'> & { tool: ToolDefinition<S, O>; decorate?: (out: O) => unknown },
): ToolRoute {
  const { decorate, ...rest } = def;
  return {
    ...rest,
    tool: def.tool as unknown as ToolDefinition,
    async run(ctx, raw) {
      const input = parseToolInput(def.tool, raw);
      const docId = (input as { docId?: unknown }).docId;
      if (typeof docId === 'string') assertIndexId(docId);
      const out = await def.tool.run(ctx, input);
      return decorate ? decorate(out) : out;
    },
  };
}

/**
 * docIds are keys into the index, never paths to open; still, refuse anything shaped like an escape
 * (`..` segments, absolute or drive paths, NUL) with a clear 400 instead of a confusing lookup.
 */
export function assertIndexId(docId: string): void {
  const parts = docId.split(/[\\/]/);
  if (docId.includes('\0') || parts.includes('..') || docId.startsWith('/') || docId.startsWith('\\') || /^[a-z]:/i.test(docId)) {
    throw new UsageError(`"${docId.slice(0, 200)}" is not a document id from the index (ids look like posts/2024/x.md)`);
  }
}

export const TOOL_ROUTES: readonly ToolRoute[] = [
  toolRoute({
    method: 'get',
    path: '/api/search',
    openapiPath: '/api/search',
    tool: searchTool,
    summary: 'Ranked verbatim passages with citations (adds `highlights` spans per result)',
    decorate: highlightSearch,
  }),
  toolRoute({
    method: 'post',
    path: '/api/quote',
    openapiPath: '/api/quote',
    tool: quoteTool,
    summary: 'Verify that the author wrote a sentence, and where',
  }),
  toolRoute({
    method: 'get',
    path: '/api/cite',
    openapiPath: '/api/cite',
    tool: citeTool,
    summary: 'A ready-to-paste citation for a document or a line range',
  }),
  toolRoute({
    method: 'get',
    path: '/api/documents',
    openapiPath: '/api/documents',
    tool: listDocumentsTool,
    summary: 'Browse the documents in the index',
  }),
  toolRoute({
    method: 'get',
    path: '/api/documents/:docId{.+}',
    openapiPath: '/api/documents/{docId}',
    pathField: 'docId',
    tool: getDocumentTool,
    summary: 'A document and its text, or a line range of it (docId may be URL-encoded or keep its slashes)',
  }),
  toolRoute({
    method: 'post',
    path: '/api/related',
    openapiPath: '/api/related',
    tool: relatedTool,
    summary: 'Prior writing related to a draft (send `text`; `path` is refused over HTTP)',
  }),
  toolRoute({
    method: 'post',
    path: '/api/check',
    openapiPath: '/api/check',
    tool: checkTool,
    summary:
      'Check a draft paragraph by paragraph: related prior writing, mentions of own work, quotes, self-overlap, links to add (send `text`; `format: "markdown"` adds the annotated draft)',
  }),
  toolRoute({
    method: 'get',
    path: '/api/timeline',
    openapiPath: '/api/timeline',
    tool: timelineTool,
    summary: "How the author's treatment of a topic changed over time",
    decorate: highlightTimeline,
  }),
  toolRoute({
    method: 'get',
    path: '/api/links',
    openapiPath: '/api/links',
    tool: linksTool,
    summary: "The author's most-linked documents, on a topic (`topic`) or overall",
  }),
  toolRoute({
    method: 'get',
    path: '/api/stats',
    openapiPath: '/api/stats',
    tool: statsTool,
    summary: 'Documents, chunks, words, model, and counts by type and tag',
  }),
  // Roots (collections): listed like documents; removal changes the index, so it is a DELETE.
  toolRoute({
    method: 'get',
    path: '/api/roots',
    openapiPath: '/api/roots',
    tool: listRootsTool,
    summary: 'The roots (collections) of the index',
  }),
  toolRoute({
    method: 'delete',
    path: '/api/roots/:name',
    openapiPath: '/api/roots/{name}',
    pathField: 'name',
    tool: removeRootTool,
    summary: 'Forget a root and remove its documents from the index',
  }),
];

/** Bodies larger than this are refused (413) before parsing; a long draft is well under it. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The JSON object of a POST body, or a 400/415 that says what is wrong with it. */
export async function readJsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  // Requiring JSON also means a cross-site form post can't reach the API without a CORS preflight.
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new HttpError(415, 'send the request body as JSON with "Content-Type: application/json"');
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty; send a JSON object');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the request body is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'the request body must be a JSON object of the tool fields');
  }
  return body as Record<string, unknown>;
}

/** Registers every tool route: input from the query string (GET) or JSON body (POST), validated by the tool. */
export function registerToolRoutes(app: Hono, ctx: ToolContext, limiter: Limiter): void {
  for (const route of TOOL_ROUTES) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const raw = route.method === 'post' ? await readJsonBody(c) : queryToInput(route.tool.input, new URL(c.req.url).searchParams);
      if (route.pathField) raw[route.pathField] = c.req.param(route.pathField);
      return c.json(await limiter.run(() => route.run(ctx, raw), c.req.raw.signal));
    });
  }
}
