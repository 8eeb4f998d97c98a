import * as z from 'zod';
import { UsageError } from '../core/errors.js';
import { BUILT_SCHEMAS } from './built-schemas.js';
import type { IndexStore } from '../index/store.js';
import type { Retriever } from '../search/retriever.js';
import type { SearchMode } from '../search/types.js';

export type FileAccess = 'any' | { folders: readonly string[] };

/** What a tool may use; front ends build one per process (the retriever loads lazily, once). */
export interface ToolContext {
  /** The index alone (metadata, documents): cheap. */
  store(): Promise<IndexStore>;
  /**
   * The index plus its embedding model, for searching. For `'bm25'` the model is not loaded at all (a
   * keyword search must not pay for it); any other mode gets the retriever with the model.
   */
  retriever(mode?: SearchMode): Promise<Retriever>;
  /**
   * Local files a tool may read for its caller (related's `path`): `'any'` on the CLI, whose user typed the
   * path; listed folders on MCP stdio (`--allow-read`); absent — none — on HTTP and for an LLM, which must
   * send text (see caller-file.ts).
   */
  fileAccess?: FileAccess;
  /**
   * The process validates one input, or a batch's few (the CLI): zod then skips compiling a parser with
   * `new Function` on an object schema's first parse, which costs more than it saves there (a cold search's
   * validation: ~1.7 ms with it, ~0.15 ms without). Long-running front ends leave it unset and keep the compiled parsers.
   */
  oneShot?: boolean;
}

export type TextAudience = 'human' | 'agent';

/**
 * One tool, defined once: the zod schema validates CLI/HTTP/MCP/LLM input and is the source of the
 * JSON Schema the MCP server and the chat loop advertise.
 */
export interface ToolDefinition<S extends z.ZodObject = z.ZodObject, O = unknown> {
  name: string;
  title: string;
  /** Written for an LLM caller: when to use it and what comes back. */
  description: string;
  input: S;
  /** Changes the index (removes documents); every other tool only reads. */
  destructive?: boolean;
  run(ctx: ToolContext, input: z.output<S>): Promise<O>;
  /**
   * Concise plain text of a result, for terminals (`human`) and for MCP text content and LLM tool messages
   * (`agent`: names the tool to call next with the ids it needs, never a CLI command).
   */
  toText(output: O, audience?: TextAudience): string;
}

export function defineTool<S extends z.ZodObject, O>(def: ToolDefinition<S, O>): ToolDefinition<S, O> {
  return def;
}

/** Validation failure with a message that names the field, usable as a tool error by every front end. */
export class ToolInputError extends UsageError {
  constructor(
    readonly tool: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${tool}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ToolInputError';
  }
}

export function parseToolInput<S extends z.ZodObject>(
  tool: ToolDefinition<S, unknown>,
  raw: unknown,
  options: { oneShot?: boolean | undefined } = {},
): z.output<S> {
  const result = tool.input.safeParse(raw ?? {}, options.oneShot ? { jitless: true } : undefined);
  if (result.success) return result.data;
  throw new ToolInputError(
    tool.name,
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

/** Validate, then run: the single entry point all front ends use. */
export async function callTool<S extends z.ZodObject, O>(tool: ToolDefinition<S, O>, ctx: ToolContext, raw: unknown): Promise<O> {
  return tool.run(ctx, parseToolInput(tool, raw, ctx));
}

/** A tool's input as JSON Schema, for every front end that describes a tool (CLI options, MCP, OpenAPI, LLM tools); a fresh object per call. */
export function toolJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  const built = BUILT_SCHEMAS?.[tool.name];
  return built === undefined ? deriveJsonSchema(tool) : (JSON.parse(built) as Record<string, unknown>);
}

/** The JSON Schema of a tool's input, from its zod schema: what the build stores (src/tools/built-schemas.ts). */
export function deriveJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  return z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
}
