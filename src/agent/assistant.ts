/**
 * The research-assistant loop over any OpenAI-compatible chat API: the model calls the archive
 * tools (several at once if it likes) for a bounded number of rounds, its answer streams out token
 * by token, and every quotation in it is then checked against the passages the tools returned.
 * Front ends (CLI, HTTP/SSE) only consume `AssistantEvent`s; nothing here writes to a terminal.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { PriorsError, errorMessage } from '../core/errors.js';
import type { ToolContext } from '../tools/tool.js';
import type { AnswerSource, AssistantEvent, QuoteCheck } from './events.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, describeEndpoint, type LlmSettings } from './llm-config.js';
import { rewriteQuery } from './query-rewrite.js';
import { systemPrompt } from './system-prompt.js';
import { ToolBridge, type ToolCallRequest } from './tool-bridge.js';
import { checkQuotes, citationWithin, citedNumbers, type EvidenceChunk, publicCheck, type QuoteMatch } from './verify-quotes.js';

export const DEFAULT_MAX_ROUNDS = 6;

/** A conversation so far, JSON-serialisable: pass the result's `history` into the next turn. */
export interface AssistantHistory {
  /** Earlier turns without the system prompt, tool calls and results included. */
  messages: ChatCompletionMessageParam[];
  /** Passages earlier turns retrieved: quotations of them stay verifiable, and their `[n]` stay stable. */
  evidence: EvidenceChunk[];
}

export interface RunAssistantOptions {
  question: string;
  history?: AssistantHistory | undefined;
  ctx: ToolContext;
  llm: LlmSettings;
  /** Aborting rejects with `AssistantCancelledError` and stops any request in flight. */
  signal?: AbortSignal | undefined;
  onEvent?: ((event: AssistantEvent) => void) | undefined;
  /** Rounds in which the model may call tools; after them it must answer. */
  maxRounds?: number | undefined;
  /** Query rewriting for the model's searches (reformulations + a hypothetical passage, fused); default on. */
  rewrite?: boolean | undefined;
}

export interface AssistantResult {
  answer: string;
  sources: AnswerSource[];
  quotes: QuoteCheck[];
  verified: number;
  unverified: number;
  /** Tool rounds used and tool calls made. */
  rounds: number;
  toolCalls: number;
  history: AssistantHistory;
}

export class AssistantCancelledError extends PriorsError {
  constructor() {
    super('answer cancelled', 'cancelled');
    this.name = 'AssistantCancelledError';
  }
}

/** The chat API failed after the client's retries (or could not be reached). */
export class LlmApiError extends PriorsError {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message, 'upstream');
    this.name = 'LlmApiError';
  }
}

export function createLlmClient(llm: LlmSettings): OpenAI {
  return new OpenAI({
    baseURL: llm.baseURL,
    // Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
    apiKey: llm.apiKey ?? 'not-needed',
    // The client retries 429, 5xx, connection errors and timeouts with exponential backoff,
    // honouring retry-after.
    maxRetries: llm.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: llm.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}

/**
 * Answer one question. Emits `tool_call`/`tool_result` per call, `token`s of the answer as they
 * stream, then `sources` (with the quotation checks) and `done`. On failure emits `error` and
 * rejects with a `PriorsError` (`AssistantCancelledError` when `signal` aborted).
 */
export async function runAssistant(opts: RunAssistantOptions): Promise<AssistantResult> {
  const emit = (e: AssistantEvent) => opts.onEvent?.(e);
  try {
    return await run(opts, emit);
  } catch (err) {
    const e = toPriorsError(err, opts.llm, opts.signal);
    emit({ type: 'error', message: e.message });
    throw e;
  }
}

async function run(opts: RunAssistantOptions, emit: (e: AssistantEvent) => void): Promise<AssistantResult> {
  const { llm, signal } = opts;
  const maxRounds = Math.max(0, opts.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const client = createLlmClient(llm);
  // Every search the model makes is also searched in the LLM's reformulations of it (off with `rewrite: false`).
  const rewrite = opts.rewrite === false ? undefined : (query: string) => rewriteQuery(client, llm, query, { signal });
  const bridge = new ToolBridge(opts.ctx, opts.history?.evidence ?? [], { rewrite });
  const turn: ChatCompletionMessageParam[] = [{ role: 'user', content: opts.question }];
  const prior = opts.history?.messages ?? [];

  // Text the model writes before calling tools is streamed too, so it is part of the answer (and
  // checked); a paragraph break separates it from what follows the tool calls.
  let answer = '';
  let pendingBreak = false;
  const onToken = (text: string) => {
    if (pendingBreak) {
      emit({ type: 'token', text: '\n\n' });
      answer += '\n\n';
      pendingBreak = false;
    }
    answer += text;
    emit({ type: 'token', text });
  };
  let rounds = 0;
  let toolCalls = 0;

  for (;;) {
    signal?.throwIfAborted();
    const toolsAllowed = rounds < maxRounds;
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: systemPrompt() }, ...prior, ...turn];
    if (!toolsAllowed && rounds > 0) {
      // A user message, not a system one: several chat templates reject a system message mid-conversation.
      messages.push({ role: 'user', content: '(No more tool calls for this question: answer now from the passages you have.)' });
    }
    const params: ChatCompletionCreateParamsStreaming = {
      model: llm.model,
      messages,
      stream: true,
      ...(toolsAllowed ? { tools: bridge.tools, tool_choice: 'auto' as const, parallel_tool_calls: true } : {}),
    };
    const round = await streamRound(client, params, llm, signal, onToken);

    if (round.toolCalls.length === 0 || !toolsAllowed) {
      turn.push({ role: 'assistant', content: round.content });
      break;
    }

    rounds++;
    const calls = round.toolCalls.map((c, i) => ({ ...c, id: c.id || `call_${rounds}_${i}` }));
    turn.push({
      role: 'assistant',
      content: round.content || null,
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: echoArguments(c.arguments) } })),
    });
    for (const c of calls) emit({ type: 'tool_call', id: c.id, name: c.name, arguments: parseLoosely(c.arguments) });
    const outcomes = await bridge.executeAll(calls);
    signal?.throwIfAborted();
    toolCalls += calls.length;
    for (const o of outcomes) {
      emit({ type: 'tool_result', id: o.id, name: o.name, ok: o.ok, summary: o.summary });
      turn.push({ role: 'tool', tool_call_id: o.id, content: o.content });
    }
    if (answer !== '') pendingBreak = true;
  }

  const evidence = [...bridge.evidence];
  const matches = checkQuotes(answer, evidence);
  const quotes = matches.map(publicCheck);
  const sources = buildSources(answer, evidence, matches);
  const verified = quotes.filter((q) => q.verified).length;
  const unverified = quotes.length - verified;
  emit({ type: 'sources', sources, quotes, verified, unverified });
  emit({ type: 'done', answer });
  return { answer, sources, quotes, verified, unverified, rounds, toolCalls, history: { messages: [...prior, ...turn], evidence } };
}

interface RoundResult {
  content: string;
  toolCalls: ToolCallRequest[];
}

/**
 * One streamed completion. Tool-call fragments arrive spread over chunks, keyed by `index`; the
 * client's timeout only covers the wait for response headers, so a stream that goes quiet for as
 * long is cut here.
 */
async function streamRound(
  client: OpenAI,
  params: ChatCompletionCreateParamsStreaming,
  llm: LlmSettings,
  signal: AbortSignal | undefined,
  onToken: (text: string) => void,
): Promise<RoundResult> {
  const idleMs = llm.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      controller.abort();
    }, idleMs);
  };

  let content = '';
  const calls = new Map<number, ToolCallRequest>();
  try {
    const stream = await client.chat.completions.create(params, { signal: controller.signal });
    arm();
    for await (const chunk of stream) {
      arm();
      const choice: ChatCompletionChunk.Choice | undefined = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta.content) {
        content += delta.content;
        onToken(delta.content);
      }
      delta.tool_calls?.forEach((tc, position) => {
        // Some servers omit `index` when they send each call whole.
        const index = typeof tc.index === 'number' ? tc.index : position;
        const call = calls.get(index) ?? { id: '', name: '', arguments: '' };
        if (tc.id && !call.id) call.id = tc.id;
        // Servers that resend the name with every fragment must not get it doubled.
        if (tc.function?.name && !call.name) call.name = tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(index, call);
      });
    }
    // The client's stream ends quietly, without an error, when its signal aborts.
    if (controller.signal.aborted) throw new AssistantCancelledError();
  } catch (err) {
    if (idle && !signal?.aborted) {
      throw new LlmApiError(`LLM API at ${describeEndpoint(llm)} stopped responding for ${seconds(idleMs)} mid-answer`);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  const toolCalls = [...calls.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, c]) => c)
    .filter((c) => c.name !== '');
  return { content, toolCalls };
}

/** Arguments as the event shows them: parsed when they are JSON. */
function parseLoosely(raw: string): unknown {
  try {
    return raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
  } catch {
    return raw;
  }
}

/**
 * The assistant message repeats the model's calls; some servers (Ollama) parse those arguments and
 * reject the whole request when one is not JSON, so broken ones are wrapped instead.
 */
function echoArguments(raw: string): string {
  if (raw.trim() === '') return '{}';
  try {
    JSON.parse(raw);
    return raw;
  } catch {
    return JSON.stringify({ invalid_json: raw });
  }
}

/**
 * The documents the answer cites (`[n]`) plus those its verified quotations come from, numbered as
 * the model cited them. The citation is the first verified quotation's lines in that document, else
 * the first passage of it the tools returned.
 */
export function buildSources(answer: string, evidence: readonly EvidenceChunk[], matches: readonly QuoteMatch[]): AnswerSource[] {
  const byNumber = new Map<number, EvidenceChunk[]>();
  for (const c of evidence) byNumber.set(c.n, [...(byNumber.get(c.n) ?? []), c]);
  const wanted = new Set(citedNumbers(answer));
  for (const m of matches) if (m.verified && m.n !== null) wanted.add(m.n);
  return [...wanted]
    .filter((n) => byNumber.has(n))
    .sort((a, b) => a - b)
    .map((n) => {
      const chunks = byNumber.get(n) as EvidenceChunk[];
      const first = chunks[0] as EvidenceChunk;
      const meta = chunks.find((c) => c.title !== null) ?? first;
      const quoted = matches.find((m) => m.verified && m.n === n);
      return {
        n,
        docId: first.docId,
        title: meta.title,
        date: meta.date ?? chunks.find((c) => c.date !== null)?.date ?? null,
        url: meta.url ?? chunks.find((c) => c.url !== null)?.url ?? null,
        citation: quoted?.citation ?? citationWithin(first, 0, first.text.length),
      };
    });
}

function seconds(ms: number): string {
  return `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Every failure as one clear line; the openai client has already retried what is worth retrying. */
export function toPriorsError(err: unknown, llm: LlmSettings, signal?: AbortSignal): PriorsError {
  if (signal?.aborted || err instanceof APIUserAbortError) return new AssistantCancelledError();
  if (err instanceof PriorsError) return err;
  const at = `LLM API at ${describeEndpoint(llm)}`;
  const retries = llm.maxRetries ?? DEFAULT_MAX_RETRIES;
  const after = retries > 0 ? ` after ${retries} retries` : '';
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmApiError(`${at} timed out${after} (timeout ${seconds(llm.timeoutMs ?? DEFAULT_TIMEOUT_MS)}) — is the model loaded?`);
  }
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return new LlmApiError(`cannot reach the ${at}${oneLine(cause)} — is the server running and OPENAI_BASE_URL right?`);
  }
  if (err instanceof APIError) {
    const status = typeof err.status === 'number' ? err.status : null;
    const detail = oneLine(err.message);
    if (status === 401 || status === 403) return new LlmApiError(`${at} refused the API key: ${detail} — check OPENAI_API_KEY`, status);
    if (status === 404)
      return new LlmApiError(`${at} failed: ${detail} — check the model id (--model ${llm.model}) and the base URL`, status);
    if (status === 429) return new LlmApiError(`${at} is rate limiting${after}: ${detail} — wait a minute and try again`, status);
    return new LlmApiError(`${at} failed: ${detail}`, status);
  }
  return new LlmApiError(`${at} failed: ${oneLine(errorMessage(err))}`);
}
