import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context, Env, Hono, Schema } from 'hono';
import type { ToolContext } from '../tools/tool.js';
import { createMcpServer, type McpServerOptions } from './server.js';

export interface MountMcpOptions extends McpServerOptions {
  /** Route of the endpoint; default `/mcp`. */
  path?: string;
}

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

const rpcError = (message: string) => ({ jsonrpc: '2.0' as const, error: { code: -32000, message }, id: null });

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
  app.post(route, async (c) => {
    if (!originAllowed(c.req.header('origin'))) return c.json(rpcError('origin not allowed'), 403);
    const shared = ctxFactory(c);
    // A network caller must not make the server read arbitrary local files (related's `path`).
    const ctx: ToolContext = { store: () => shared.store(), retriever: (mode) => shared.retriever(mode), allowFileRead: false };
    const server = createMcpServer(ctx, options);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
  // Stateless and JSON-only: there is no server-to-client stream to open and no session to delete.
  app.on(['GET', 'DELETE'], route, (c) =>
    c.json(rpcError('method not allowed: POST JSON-RPC messages to this endpoint'), 405, { Allow: 'POST' }),
  );
}
