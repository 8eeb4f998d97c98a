/** JSON-RPC error codes the MCP server answers with. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** MCP's code for "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

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
