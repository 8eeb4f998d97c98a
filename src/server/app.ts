import { availableParallelism } from 'node:os';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { runAssistant } from '../agent/assistant.js';
import type { LlmSettings } from '../agent/llm-config.js';
import { errorMessage } from '../core/errors.js';
import type { ToolContext } from '../tools/tool.js';
import { VERSION } from '../version.js';
import { isProtectedPath, requireLoopbackHostHeader, requireToken } from './auth.js';
import { errorResponse } from './errors.js';
import { createLimiter, type Limiter } from './limit.js';
import { buildOpenApi } from './openapi.js';
import { MAX_BODY_BYTES, TOOL_ROUTES, registerToolRoutes } from './routes.js';
import { handleAsk, type AssistantRunner } from './sse.js';
import { DEFAULT_WEB_ROOT, serveWeb } from './static.js';

export interface AppOptions {
  /** Tool context over the index; the app wraps it so tools never read local files for a caller. */
  ctx: ToolContext;
  /** When set, every /api and /mcp request needs `Authorization: Bearer <token>`. */
  token?: string | null;
  /** LLM for POST /api/ask (streamed via runAssistant); without one ask returns the offline extractive answer. */
  llm?: LlmSettings | null;
  /** Overrides how `llm` answers are produced (tests script one); implies an LLM is configured. */
  assistant?: AssistantRunner | null;
  /** Origins allowed to call the API from other pages; none (no CORS headers) by default. */
  corsOrigins?: readonly string[];
  /**
   * Extra routes (e.g. the MCP endpoint at /mcp), registered after the token rule and before the page; they
   * get the limiter the tool routes use, so their work waits in the same queue.
   */
  mount?: (app: Hono, ctx: ToolContext, limiter: Limiter) => void;
  /** Folder of the web page; defaults to the package's web/. */
  webRoot?: string;
  /** Tool calls run at once (more wait in line); default: the number of CPUs, at least 2. */
  maxConcurrent?: number;
  /** Requests allowed to wait for a slot before the server answers 503 busy; default 1024. */
  maxQueue?: number;
  /** Where unexpected (500) errors are reported; defaults to stderr. */
  log?: (message: string) => void;
}

/** Headers for every response: the page loads only its own scripts and can't be framed. */
const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  }
};

/**
 * The HTTP front end: JSON API over the shared tools, SSE ask, OpenAPI, and the web page, in one Hono app.
 * Binding and the token rule for non-loopback hosts are enforced by `priors serve` (see auth.resolveToken).
 */
export function createApp(opts: AppOptions): Hono {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  // Network callers get the tools but not local file reads (e.g. related's `path`).
  const base = opts.ctx;
  const ctx: ToolContext = { store: () => base.store(), retriever: (mode) => base.retriever(mode) };
  const token = opts.token ?? null;
  const llm = opts.llm ?? null;
  const assistant: AssistantRunner | null =
    opts.assistant ?? (llm ? (a) => runAssistant({ question: a.question, ctx: a.ctx, llm, signal: a.signal, onEvent: a.onEvent }) : null);
  const limiter = createLimiter(opts.maxConcurrent ?? Math.max(2, availableParallelism()), opts.maxQueue ?? 1024);
  const app = new Hono();

  app.onError((err, c) => {
    const { status, body, expected } = errorResponse(err);
    if (!expected) log(`priors serve: ${c.req.method} ${c.req.path}: ${errorMessage(err)}`);
    return c.json(body, status);
  });
  app.notFound((c) =>
    isProtectedPath(c.req.path)
      ? c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path} (see /api/openapi.json)` }, 404)
      : c.text('not found', 404),
  );

  app.use('*', securityHeaders);
  if (opts.corsOrigins && opts.corsOrigins.length > 0) {
    const handler = cors({ origin: [...opts.corsOrigins], allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600 });
    app.use('/api/*', handler);
    app.use('/mcp', handler);
    app.use('/mcp/*', handler);
  }
  app.use('*', token ? requireToken(token) : requireLoopbackHostHeader());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: `the request body is larger than ${MAX_BODY_BYTES / 2 ** 20} MB` }, 413),
    }),
  );

  app.get('/api/health', async (c) => {
    let index: { ready: boolean; documents?: number; search?: string; error?: string };
    try {
      const r = await ctx.retriever();
      index = { ready: true, documents: (await r.store.listDocuments()).length, search: r.effectiveMode('hybrid') };
    } catch (err) {
      index = { ready: false, error: errorResponse(err).body.error };
    }
    return c.json({ ok: true, version: VERSION, index, llm: assistant !== null, auth: token !== null });
  });

  const openapi = buildOpenApi(TOOL_ROUTES, { auth: token !== null });
  app.get('/api/openapi.json', (c) => c.json(openapi));

  registerToolRoutes(app, ctx, limiter);
  app.post('/api/ask', (c) => handleAsk(c, ctx, assistant, limiter));

  opts.mount?.(app, ctx, limiter);

  app.use('*', serveWeb(opts.webRoot ?? DEFAULT_WEB_ROOT));
  return app;
}
