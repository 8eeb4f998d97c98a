import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Env, Hono, Schema } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ToolContext } from '../tools/tool.js';
import { INVALID_REQUEST, PARSE_ERROR } from './errors.js';
import { createMcpServer, type McpServerOptions } from './server.js';

export interface MountMcpOptions extends Omit<McpServerOptions, 'schedule'> {
  /** Route of the endpoint; default `/mcp`. */
  path?: string;
  /**
   * Runs each tool call and resource read; `priors serve` passes its request limiter so /mcp waits in the
   * same queue as /api. The signal is the HTTP request's (a caller who left gives up its place).
   */
  schedule?: <T>(job: () => Promise<T>, signal: AbortSignal) => Promise<T>;
}

/** A request body over this is refused (413) before it is parsed, as on /api. */
export const MAX_MCP_BODY_BYTES = 2 * 1024 * 1024;
/**
 * Messages in one JSON-RPC batch. The SDK allows 100, and a 41 KB batch of searches came back as 46 MB;
 * an agent sends one message per request, so a handful is plenty.
 */
export const MAX_MCP_BATCH = 10;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Browsers send Origin; a page on another site must not reach the archive through the user's browser
 * (DNS rebinding), so only loopback origins pass. Agents send no Origin at all.
 */
export function originAllowed(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

const rpcError = (message: string, code = -32000) => ({ jsonrpc: '2.0' as const, error: { code, message }, id: null });

/**
 * MCP over Streamable HTTP at `/mcp` on the `serve` app, stateless: every POST gets a fresh server over
 * the shared tool context (so the index and model still load once) and a plain JSON answer.
 * Mount it after the app's loopback/token middleware so those rules apply here too.
 */
export function mountMcp<E extends Env, S extends Schema, B extends string>(
  app: Hono<E, S, B>,
  ctxFactory: (c: Context<E>) => ToolContext,
  options: MountMcpOptions = {},
): void {
  const route = options.path ?? '/mcp';
  const { schedule, ...serverOptions } = options;
  app.use(
    route,
    bodyLimit({
      maxSize: MAX_MCP_BODY_BYTES,
      onError: (c) => c.json(rpcError(`the request body is larger than ${MAX_MCP_BODY_BYTES / 2 ** 20} MB`, INVALID_REQUEST), 413),
    }),
  );
  app.post(route, async (c) => {
    if (!originAllowed(c.req.header('origin'))) return c.json(rpcError('origin not allowed'), 403);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(rpcError('the request body is not valid JSON', PARSE_ERROR), 400);
    }
    if (Array.isArray(body) && body.length > MAX_MCP_BATCH) {
      return c.json(rpcError(`a JSON-RPC batch may hold at most ${MAX_MCP_BATCH} messages, not ${body.length}`, INVALID_REQUEST), 400);
    }
    const shared = ctxFactory(c);
    // A network caller must not make the server read arbitrary local files (related's `path`).
    const ctx: ToolContext = { store: () => shared.store(), retriever: (mode) => shared.retriever(mode) };
    const signal = c.req.raw.signal;
    const server = createMcpServer(ctx, { ...serverOptions, ...(schedule ? { schedule: (job) => schedule(job, signal) } : {}) });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: body });
    } finally {
      await server.close();
    }
  });
  // Stateless and JSON-only: there is no server-to-client stream to open and no session to delete.
  app.on(['GET', 'DELETE'], route, (c) =>
    c.json(rpcError('method not allowed: POST JSON-RPC messages to this endpoint'), 405, { Allow: 'POST' }),
  );
}
