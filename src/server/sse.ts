import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { AssistantEvent } from '../agent/events.js';
import { errorMessage } from '../core/errors.js';
import { askTool } from '../tools/ask.js';
import { parseToolInput, type ToolContext } from '../tools/tool.js';
import { errorResponse } from './errors.js';
import type { Limiter } from './limit.js';
import { highlightAsk } from '../tools/highlight.js';
import { readJsonBody } from './routes.js';

/**
 * Runs the LLM assistant for one question, reporting progress through `onEvent`; resolves when done.
 * `createApp({ llm })` binds it to `runAssistant`; tests pass a scripted one.
 */
export type AssistantRunner = (args: {
  question: string;
  ctx: ToolContext;
  signal: AbortSignal;
  onEvent: (event: AssistantEvent) => void;
}) => Promise<unknown>;

/** Events of POST /api/ask besides the AssistantEvent types (which are streamed as they come). */
export type AskStreamEvent =
  | { type: 'start'; mode: 'llm' | 'offline'; question: string }
  | { type: 'result'; result: unknown }
  | AssistantEvent;

/** Comment lines keep idle proxies and browsers from closing the stream while the model thinks. */
const KEEPALIVE_MS = 15_000;

async function send(stream: SSEStreamingApi, event: AskStreamEvent): Promise<void> {
  await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
}

/**
 * POST /api/ask: validation errors are plain 400 JSON (before any stream); after that the answer is
 * Server-Sent Events — `start`, then the assistant's `tool_call`/`tool_result`/`token`/`sources` with an
 * LLM, or one `result` (the offline extractive answer) without — always ending in `done` or `error`.
 */
export async function handleAsk(c: Context, ctx: ToolContext, assistant: AssistantRunner | null, limiter: Limiter): Promise<Response> {
  const input = parseToolInput(askTool, await readJsonBody(c));
  // Open the index first so a missing one is a 503 like every other endpoint, not an event mid-stream.
  await ctx.retriever();
  const abort = new AbortController();
  const clientGone = c.req.raw.signal;
  const onGone = () => abort.abort();
  clientGone.addEventListener('abort', onGone, { once: true });
  c.header('Cache-Control', 'no-cache');
  c.header('X-Accel-Buffering', 'no');

  return streamSSE(
    c,
    async (stream) => {
      stream.onAbort(onGone);
      const ping = setInterval(() => void stream.write(': keepalive\n\n').catch(() => undefined), KEEPALIVE_MS);
      let ended = false;
      try {
        await send(stream, { type: 'start', mode: assistant ? 'llm' : 'offline', question: input.question });
        if (assistant) {
          // onEvent is synchronous; writes are chained so events reach the client in order.
          let chain = Promise.resolve();
          const onEvent = (e: AssistantEvent) => {
            if (e.type === 'done' || e.type === 'error') ended = true;
            chain = chain.then(() => send(stream, e)).catch(() => undefined);
          };
          try {
            await assistant({ question: input.question, ctx, signal: abort.signal, onEvent });
          } catch (err) {
            if (!abort.signal.aborted && !ended) onEvent({ type: 'error', message: errorResponse(err).body.error });
          }
          await chain;
          if (!ended && !abort.signal.aborted) await send(stream, { type: 'done', answer: '' });
        } else {
          const out = await limiter.run(() => askTool.run(ctx, input), abort.signal);
          await send(stream, { type: 'result', result: highlightAsk(out) });
          await send(stream, { type: 'done', answer: askTool.toText(out) });
        }
      } catch (err) {
        if (!abort.signal.aborted) await send(stream, { type: 'error', message: errorResponse(err).body.error }).catch(() => undefined);
      } finally {
        clearInterval(ping);
        clientGone.removeEventListener('abort', onGone);
      }
    },
    async (err, stream) => {
      await send(stream, { type: 'error', message: errorMessage(err) }).catch(() => undefined);
    },
  );
}
