/**
 * A scripted OpenAI-compatible HTTP server for tests: the real `openai` client talks to it over
 * 127.0.0.1. Chat completions play queued replies in order (streamed SSE with content and
 * tool-call deltas, plain JSON, error statuses, or a hang); `/v1/embeddings` returns deterministic
 * hashed bag-of-words vectors, so similar texts get similar vectors and search works. Query-rewrite
 * requests (the assistant's reformulations of a search) have their own queue, so scripts of the
 * answer loop are unaffected by them; with none queued a rewrite fails and the search goes on plainly.
 */
import { REWRITE_SYSTEM_PROMPT } from '../../src/agent/query-rewrite.js';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  id: string;
  name: string;
  /** Raw argument text (may be deliberately invalid JSON). */
  arguments: string;
}

export type Reply =
  | {
      type: 'stream';
      /** A string is sent a word at a time; an array as the given pieces. */
      content?: string | string[];
      toolCalls?: ScriptedToolCall[];
      /** Pause before each chunk. */
      delayMs?: number;
      /** Go silent (without closing) after this many chunks. */
      stallAfter?: number;
    }
  | { type: 'json'; content?: string; toolCalls?: ScriptedToolCall[] }
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers (until the server closes). */
  | { type: 'hang' };

export interface ChatMessage {
  role: string;
  content?: string | null;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  tools?: { type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
}

export type Step = Reply | ((req: ChatRequest) => Reply);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>/v1`, as OPENAI_BASE_URL. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Bodies of the chat completion requests of the answer loop so far (rewrite requests excluded). */
  chatRequests(): ChatRequest[];
  /** Bodies of the query-rewrite requests so far. */
  rewriteRequests(): ChatRequest[];
  /** Queue replies for the next chat completion requests. */
  script(...steps: Step[]): void;
  /** Queue replies for the next query-rewrite requests (unscripted ones fail with a 500). */
  scriptRewrite(...steps: Step[]): void;
  /** Replies still queued. */
  pending(): number;
  reset(): void;
  close(): Promise<void>;
}

export const EMBEDDING_DIM = 256;
/** Frequent words would swamp a bag of words this small; only content words count. */
const STOP = new Set(
  'that this with from have what when they them their there were been about which would could into your more than then just also only like some very much what'.split(
    ' ',
  ),
);

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Hashed bag of words: deterministic, and texts sharing words point the same way. */
export function hashEmbedding(text: string, dim = EMBEDDING_DIM): number[] {
  const v = new Array<number>(dim).fill(0);
  v[0] = 0.01;
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 4 || STOP.has(word)) continue;
    const h = fnv1a(word);
    v[h % dim]! += (h >>> 16) & 1 ? 1 : -1;
  }
  return v;
}

function chunkJson(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'scripted',
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

/** SSE chunks of a reply: content word by word, tool calls as id+name then argument fragments, interleaved across calls. */
function streamChunks(reply: Extract<Reply, { type: 'stream' }>): string[] {
  const out: string[] = [chunkJson({ role: 'assistant', content: '' })];
  const pieces = typeof reply.content === 'string' ? (reply.content.match(/\S+\s*|\s+/g) ?? []) : (reply.content ?? []);
  for (const p of pieces) out.push(chunkJson({ content: p }));
  const calls = reply.toolCalls ?? [];
  calls.forEach((c, index) => {
    out.push(chunkJson({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
  });
  const fragments = calls.map((c) => {
    const third = Math.ceil(c.arguments.length / 3) || 1;
    const parts: string[] = [];
    for (let i = 0; i < c.arguments.length; i += third) parts.push(c.arguments.slice(i, i + third));
    return parts;
  });
  for (let round = 0; fragments.some((f) => f.length > round); round++) {
    fragments.forEach((f, index) => {
      const part = f[round];
      if (part !== undefined) out.push(chunkJson({ tool_calls: [{ index, function: { arguments: part } }] }));
    });
  }
  out.push(chunkJson({}, calls.length ? 'tool_calls' : 'stop'));
  out.push('data: [DONE]\n\n');
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startScriptedServer(): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let queue: Step[] = [];
  let rewriteQueue: Step[] = [];

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = null;
        try {
          body = text ? (JSON.parse(text) as unknown) : null;
        } catch {
          body = text;
        }
        const path = (req.url ?? '').split('?')[0] ?? '';
        requests.push({ method: req.method ?? '', path, headers: req.headers, body });

        if (path === '/v1/embeddings') {
          const input = (body as { input: string | string[] }).input;
          const texts = Array.isArray(input) ? input : [input];
          sendJson(res, 200, {
            object: 'list',
            model: (body as { model: string }).model,
            data: texts.map((t, index) => ({ object: 'embedding', index, embedding: hashEmbedding(t) })),
            usage: { prompt_tokens: 0, total_tokens: 0 },
          });
          return;
        }
        if (path !== '/v1/chat/completions') {
          sendJson(res, 404, { error: { message: `no route ${path}` } });
          return;
        }
        const step = isRewriteRequest(body) ? rewriteQueue.shift() : queue.shift();
        if (!step) {
          sendJson(res, 500, { error: { message: 'scripted server: no reply queued' } }, { 'x-should-retry': 'false' });
          return;
        }
        const reply = typeof step === 'function' ? step(body as ChatRequest) : step;
        if (reply.type === 'hang') return;
        if (reply.type === 'status') {
          sendJson(res, reply.status, reply.body ?? { error: { message: `status ${reply.status}` } }, reply.headers);
          return;
        }
        if (reply.type === 'json') {
          const calls = reply.toolCalls ?? [];
          sendJson(res, 200, {
            id: 'chatcmpl-scripted',
            object: 'chat.completion',
            created: 0,
            model: 'scripted',
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: reply.content ?? null,
                  ...(calls.length
                    ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
                    : {}),
                },
                finish_reason: calls.length ? 'tool_calls' : 'stop',
              },
            ],
          });
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const [i, chunk] of streamChunks(reply).entries()) {
          if (i === reply.stallAfter) return;
          if (reply.delayMs) await sleep(reply.delayMs);
          if (res.destroyed) return;
          res.write(chunk);
        }
        res.end();
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () =>
      requests.filter((r) => r.path === '/v1/chat/completions' && !isRewriteRequest(r.body)).map((r) => r.body as ChatRequest),
    rewriteRequests: () =>
      requests.filter((r) => r.path === '/v1/chat/completions' && isRewriteRequest(r.body)).map((r) => r.body as ChatRequest),
    script: (...steps) => {
      queue.push(...steps);
    },
    scriptRewrite: (...steps) => {
      rewriteQueue.push(...steps);
    },
    pending: () => queue.length,
    reset: () => {
      queue = [];
      rewriteQueue = [];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isRewriteRequest(body: unknown): boolean {
  const first = (body as Partial<ChatRequest> | null)?.messages?.[0];
  return first?.role === 'system' && first.content === REWRITE_SYSTEM_PROMPT;
}

/** The last tool message of a chat request (what the model would read). */
export function lastToolMessage(req: ChatRequest): string {
  const m = [...req.messages].reverse().find((x) => x.role === 'tool');
  return typeof m?.content === 'string' ? m.content : '';
}

/**
 * A sentence of at least `minWords` plain words from the passages of source [1] in a tool message (the
 * scripted answers cite their quote as [1], so it must come from that source for verification to
 * attribute it there; the "Cite as:" footer names it): what an honest model would quote. Skips headings,
 * list items, and sentences with markup or quotation marks, so the quote is plain prose.
 */
export function pickSentence(toolText: string, minWords = 8, skip = 0): string {
  const first = /^Cite as: \[1\] (.+?)(?:, \[2\] |$)/m.exec(toolText)?.[1];
  const blocks = toolText.split(/\n(?=\d+\. )/);
  const own = blocks.filter((b) => first !== undefined && b.includes(`${first}:`));
  const sentences = (own.length ? own : blocks)
    .flatMap((b) => b.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^(\d+\.|#|-|\*|>|Cite as:|posts\/|http)/.test(l) && !/^\S+:\d+(-\d+)? · /.test(l))
    .flatMap((l) => l.split(/(?<=[.!?])\s+/))
    .filter((x) => /[.!?]$/.test(x) && x.split(/\s+/).length >= minWords && !/[*_`[\]#|"“”]/.test(x));
  const s = sentences[skip];
  if (!s) throw new Error(`no sentence of ${minWords}+ words in tool output:\n${toolText.slice(0, 500)}`);
  return s;
}
