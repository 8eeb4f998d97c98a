import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { debugEnabled } from '../config/env.js';
import { type ErrorKind, errorMessage, PriorsError } from '../core/errors.js';

/** JSON-RPC error codes the MCP server answers with. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
/** MCP's code for "resource not found". */
const RESOURCE_NOT_FOUND = -32002;

/**
 * Thrown from protocol handlers: the SDK sends `code` and this plain message as the JSON-RPC error
 * (the SDK's own McpError would prefix "MCP error <code>:" once here and again in the client).
 */
export class McpProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'McpProtocolError';
  }
}

/** JSON-RPC codes by error kind, for requests that fail as a whole (resource reads). */
const PROTOCOL_CODES: Record<ErrorKind, number> = {
  usage: INVALID_PARAMS,
  not_found: RESOURCE_NOT_FOUND,
  index_missing: INTERNAL_ERROR,
  locked: INTERNAL_ERROR,
  model_mismatch: INTERNAL_ERROR,
  conflict: INTERNAL_ERROR,
  too_large: INVALID_PARAMS,
  upstream: INTERNAL_ERROR,
  busy: INTERNAL_ERROR,
  cancelled: INTERNAL_ERROR,
  internal: INTERNAL_ERROR,
};

/** A failed resource read as the JSON-RPC error the client sees; errors that aren't priors' own pass through. */
export function protocolError(err: unknown): unknown {
  return err instanceof PriorsError ? new McpProtocolError(PROTOCOL_CODES[err.kind], err.message) : err;
}

/**
 * A failed tool call as MCP wants it: a result with `isError` and a one-line message the agent reads and
 * can act on (bad arguments, a missing index or document) — never a protocol error. Bugs are logged too.
 */
export function toolErrorResult(tool: string, err: unknown, log: (line: string) => void): CallToolResult {
  if (err instanceof PriorsError) return { isError: true, content: [{ type: 'text', text: err.message }] };
  const message = errorMessage(err).split('\n')[0] ?? 'unknown error';
  log(`${tool} failed: ${debugEnabled() ? ((err as Error).stack ?? message) : message}`);
  return { isError: true, content: [{ type: 'text', text: `${tool} failed: ${message}` }] };
}
