/**
 * The archive tools as an LLM sees them: the shared definitions advertised as OpenAI function
 * tools, calls validated and run through `callTool`, and every passage a call returned kept as
 * evidence for checking the answer's quotations.
 */
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { errorMessage } from '../core/errors.js';
import { TOOLS } from '../tools/index.js';
import { searchInput } from '../tools/search.js';
import { callTool, toolJsonSchema, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import type { QueryRewrite } from './query-rewrite.js';
import type { EvidenceChunk } from './verify-quotes.js';

/** Tool output sent back to the model is cut here, so one big document can't flood the context. */
export const MAX_TOOL_TEXT = 12_000;

/** `ask` is the offline answer the assistant replaces; the model composes from the finer tools. */
/** `remove_root` changes the index: a chat model answering questions has no business calling it. */
const EXCLUDED = new Set(['ask', 'stats', 'remove_root']);

export interface ToolCallRequest {
  id: string;
  name: string;
  /** Raw JSON text as the model produced it. */
  arguments: string;
}

export interface ToolCallOutcome {
  id: string;
  name: string;
  /** Parsed arguments, or the raw text when they were not valid JSON. */
  arguments: unknown;
  ok: boolean;
  /** What goes back to the model as the tool message. */
  content: string;
  /** One line for progress displays. */
  summary: string;
}

/** Turns a search query into more phrasings of it; never throws (the plain query is its fallback). */
export type QueryRewriter = (query: string) => Promise<QueryRewrite>;

export interface ToolBridgeOptions {
  tools?: readonly ToolDefinition[] | undefined;
  /** When set, a search call without its own `queries` is searched in the rewriter's phrasings too. */
  rewrite?: QueryRewriter | undefined;
}

export function agentTools(): ToolDefinition[] {
  return (TOOLS as readonly ToolDefinition[]).filter((t) => !EXCLUDED.has(t.name));
}

/** OpenAI `tools` entries: name, description and the JSON Schema of the tool's zod input. */
export function openAITools(tools: readonly ToolDefinition[] = agentTools()): ChatCompletionFunctionTool[] {
  return tools.map((tool) => {
    // `$schema` is noise to the model, and some OpenAI-compatible servers reject unknown keys.
    const { $schema: _ignored, ...parameters } = toolJsonSchema(tool);
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
  });
}

export class ToolBridge {
  readonly tools: ChatCompletionFunctionTool[];
  private readonly byName: Map<string, ToolDefinition>;
  private readonly chunks: EvidenceChunk[];
  private readonly numbers = new Map<string, number>();
  private readonly chunkKeys = new Set<string>();

  private readonly ctx: ToolContext;
  private readonly rewrite: QueryRewriter | undefined;
  /** One rewrite per distinct query in a conversation turn: a model often repeats a search. */
  private readonly rewrites = new Map<string, Promise<QueryRewrite>>();

  /** `evidence`: chunks of earlier turns, so source numbers and quotations stay valid across a chat. */
  constructor(ctx: ToolContext, evidence: readonly EvidenceChunk[] = [], opts: ToolBridgeOptions = {}) {
    const tools = opts.tools ?? agentTools();
    this.rewrite = opts.rewrite;
    // The model is a remote caller: it must not make tools read local files (related's `path`),
    // whose text would then be sent to the API.
    this.ctx = { store: () => ctx.store(), retriever: (mode) => ctx.retriever(mode) };
    this.byName = new Map(tools.map((t) => [t.name, t]));
    this.tools = openAITools(tools);
    this.chunks = [];
    for (const c of evidence) this.addChunk(c);
  }

  /** Every passage returned so far, with its document's source number. */
  get evidence(): readonly EvidenceChunk[] {
    return this.chunks;
  }

  /** Run one call; see `executeAll`. */
  async execute(call: ToolCallRequest): Promise<ToolCallOutcome> {
    const [outcome] = await this.executeAll([call]);
    return outcome as ToolCallOutcome;
  }

  /**
   * Run calls concurrently (a model's parallel tool calls), then number their sources in call
   * order so numbering doesn't depend on which finished first. Never throws for a bad call:
   * unknown tool, invalid JSON, schema errors and tool failures come back as an error message
   * the model can read and correct.
   */
  async executeAll(calls: readonly ToolCallRequest[]): Promise<ToolCallOutcome[]> {
    const results = await Promise.all(calls.map((c) => this.run(c)));
    return results.map((r, i) => {
      const call = calls[i] as ToolCallRequest;
      const fail = (message: string): ToolCallOutcome => ({
        id: call.id,
        name: call.name,
        arguments: r.args,
        ok: false,
        content: `error: ${message}`,
        summary: message,
      });
      if (!r.ok) return fail(r.error);
      const added = this.collect(r.result);
      const numbered = this.numbersFor(added);
      const footer = numbered.length ? `\n\nCite as: ${numbered.map(([n, path]) => `[${n}] ${path}`).join(', ')}` : '';
      return {
        id: call.id,
        name: call.name,
        arguments: r.args,
        ok: true,
        content: bound(r.tool.toText(r.result, 'agent'), MAX_TOOL_TEXT - footer.length) + footer,
        summary: summarize(call.name, r.result, added.length),
      };
    });
  }

  private async run(call: ToolCallRequest): Promise<RunResult> {
    const tool = this.byName.get(call.name);
    if (!tool) {
      return { ok: false, args: call.arguments, error: `unknown tool "${call.name}"; available: ${[...this.byName.keys()].join(', ')}` };
    }
    let args: unknown;
    try {
      // Models send "" for a call without arguments.
      args = call.arguments.trim() === '' ? {} : (JSON.parse(call.arguments) as unknown);
    } catch (err) {
      return {
        ok: false,
        args: call.arguments,
        error: `${call.name}: arguments are not valid JSON (${errorMessage(err)}); send a JSON object`,
      };
    }
    try {
      return { ok: true, args, tool, result: await callTool(tool, this.ctx, await this.withPhrasings(call.name, args)) };
    } catch (err) {
      // Schema errors name the field (ToolInputError); tool failures are one-line PriorsErrors.
      return { ok: false, args, error: errorMessage(err) };
    }
  }

  /**
   * A valid search call that brings no phrasings of its own gets the rewriter's (reformulations and
   * the hypothetical passage). Anything else passes unchanged, so validation errors still name the
   * model's own fields.
   */
  private async withPhrasings(name: string, args: unknown): Promise<unknown> {
    if (name !== 'search' || !this.rewrite) return args;
    const parsed = searchInput.safeParse(args);
    if (!parsed.success || parsed.data.queries !== undefined) return args;
    const query = parsed.data.query;
    let pending = this.rewrites.get(query);
    if (!pending) {
      pending = this.rewrite(query);
      this.rewrites.set(query, pending);
    }
    const { queries, hypothetical } = await pending;
    const phrasings = [...queries.slice(1), ...(hypothetical ? [hypothetical] : [])];
    return phrasings.length ? { ...(args as Record<string, unknown>), queries: phrasings } : args;
  }

  /** Passages found anywhere in a tool result (search hits, quote locations, cited lines, documents…). */
  private collect(result: unknown): EvidenceChunk[] {
    const found: EvidenceChunk[] = [];
    walk(result, (obj) => {
      const p = asPassage(obj);
      if (!p) return;
      const chunk = this.addChunk({ ...p, n: this.numberOf(p.docId) });
      found.push(chunk);
    });
    return found;
  }

  private numberOf(docId: string): number {
    let n = this.numbers.get(docId);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(docId, n);
    }
    return n;
  }

  private addChunk(c: EvidenceChunk): EvidenceChunk {
    if (!this.numbers.has(c.docId)) this.numbers.set(c.docId, c.n);
    const chunk = { ...c, n: this.numbers.get(c.docId) ?? c.n };
    const key = `${chunk.docId}\u0000${chunk.lineStart}\u0000${chunk.text}`;
    if (!this.chunkKeys.has(key)) {
      this.chunkKeys.add(key);
      this.chunks.push(chunk);
    }
    return chunk;
  }

  private numbersFor(chunks: EvidenceChunk[]): [number, string][] {
    const out = new Map<number, string>();
    for (const c of chunks) if (!out.has(c.n)) out.set(c.n, c.path);
    return [...out.entries()];
  }
}

type Passage = Omit<EvidenceChunk, 'n'>;

type RunResult = { ok: true; args: unknown; tool: ToolDefinition; result: unknown } | { ok: false; args: unknown; error: string };

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * The shapes tools return passages in: `{docId, path, lineStart, lineEnd, text}` (search, related,
 * timeline, quote, get_document) and cite's `{docId, relPath, lineStart, lineEnd, quote}`.
 */
function asPassage(obj: Record<string, unknown>): Passage | null {
  const docId = str(obj.docId);
  const path = str(obj.path) ?? str(obj.relPath);
  const text = str(obj.text) ?? str(obj.quote);
  const { lineStart, lineEnd } = obj;
  if (!docId || !path || !text?.trim() || typeof lineStart !== 'number' || typeof lineEnd !== 'number') return null;
  return { docId, path, lineStart, lineEnd, text, title: str(obj.title), date: str(obj.date), url: str(obj.url) };
}

function walk(value: unknown, visit: (obj: Record<string, unknown>) => void, depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  visit(obj);
  for (const v of Object.values(obj)) walk(v, visit, depth + 1);
}

function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  const end = cut > max * 0.8 ? cut : max;
  return `${text.slice(0, end)}\n[… output cut at ${end} of ${text.length} characters; narrow the request (fewer results, a line range)]`;
}

function summarize(name: string, result: unknown, passages: number): string {
  const r = result as Record<string, unknown>;
  if (name === 'quote' && typeof r.verdict === 'string') return `${r.verdict}, ${passages} passage${passages === 1 ? '' : 's'}`;
  if (name === 'list_documents' && typeof r.total === 'number') return `${r.total} documents`;
  return `${passages} passage${passages === 1 ? '' : 's'}`;
}
