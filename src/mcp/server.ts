import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { TOOLS } from '../tools/index.js';
import { callTool, toolJsonSchema, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { VERSION } from '../version.js';
import { INVALID_PARAMS, McpProtocolError, toolErrorResult } from './errors.js';
import { registerPrompts } from './prompts.js';
import { registerDocumentResources } from './resources.js';

/**
 * The tools agents get. `ask` is left out: it is `search` grouped by document, made for the terminal,
 * and a second near-identical tool costs every agent context and makes it pick between look-alikes.
 */
export const MCP_TOOLS: readonly ToolDefinition[] = (TOOLS as readonly ToolDefinition[]).filter((t) => t.name !== 'ask');

/** Sent once at `initialize`; clients put it ahead of the tool list, so it says what the archive is and how to use it. */
export const MCP_INSTRUCTIONS = [
  "priors searches the user's own writing archive (their published posts, book chapters and interview transcripts), offline. It is not the web and not the current repository.",
  'Use it instead of grepping their files: `search` returns the best verbatim passages with a docId:lineStart-lineEnd citation; `related` takes a draft (its text; a file path only inside folders the user allowed with `--allow-read`) and finds the prior writing it connects to; `timeline` shows how a view changed over time.',
  'Everything returned is exact text from the archive; interview passages name their speaker, and a guest’s words are not the author’s. Before presenting a sentence as something they wrote, check it with `quote`; use `cite` for a ready-to-paste citation (it also takes the sentence itself) and `get_document` to read around a hit.',
  'Document ids are `<root>/<path>`; `docId:lines` as printed is accepted by cite and get_document, and list_roots names the collections the `root` filter takes.',
  'Documents are also resources at priors://doc/{docId}.',
].join('\n');

/** Every tool but remove_root only reads the index and the indexed files; remove_root is offered only with `allowWrites`. */
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const DESTRUCTIVE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false } as const;

export interface McpServerOptions {
  /** Where diagnostics go; never stdout, which belongs to the protocol on stdio. */
  log?: (line: string) => void;
  /**
   * Runs each tool call and resource read (the HTTP mount passes the `serve` app's request limiter, so /mcp
   * and /api share one queue); may refuse with a BusyError. Default: run at once.
   */
  schedule?: <T>(job: () => Promise<T>) => Promise<T>;
  /**
   * Offer the tools that change the index (remove_root). Off by default: any agent connected to the server could
   * call them, on a prompt injected into what it reads as easily as on the user's word (`priors mcp --allow-writes`).
   */
  allowWrites?: boolean;
}

const stderrLog = (line: string) => void process.stderr.write(`priors mcp: ${line}\n`);

function inputSchema(tool: ToolDefinition): Tool['inputSchema'] {
  // `$schema` is dropped: MCP already defaults to 2020-12, and some clients pass the schema on to model APIs that reject unknown keys.
  const { $schema: _dialect, ...schema } = toolJsonSchema(tool);
  if (schema.type !== 'object') throw new Error(`tool ${tool.name}: input schema must be an object`);
  return { ...schema, type: 'object' };
}

const listed = new Map<boolean, Tool[]>();
/**
 * The tools/list answer, with or without the tools that write: the same for every server (the HTTP mount builds
 * one per request), so each is derived once.
 */
function listedTools(allowWrites: boolean): Tool[] {
  let tools = listed.get(allowWrites);
  if (!tools) {
    tools = MCP_TOOLS.filter((t) => allowWrites || !t.destructive).map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: inputSchema(t),
      annotations: { title: t.title, ...(t.destructive ? DESTRUCTIVE : READ_ONLY) },
    }));
    listed.set(allowWrites, tools);
  }
  return tools;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One MCP server over one tool context. Cheap to create: nothing is opened until a tool or resource needs the index. */
export function createMcpServer(ctx: ToolContext, options: McpServerOptions = {}): McpServer {
  const log = options.log ?? stderrLog;
  const schedule = options.schedule ?? (<T>(job: () => Promise<T>) => job());
  const server = new McpServer(
    { name: 'priors', title: 'priors — your prior writing', version: VERSION },
    { instructions: MCP_INSTRUCTIONS },
  );

  const allowWrites = options.allowWrites === true;
  const tools = new Map(MCP_TOOLS.map((t) => [t.name, t]));
  const offered = listedTools(allowWrites);

  // Tools go through the shared tool layer rather than McpServer.registerTool, so validation is `callTool`'s:
  // the same strict schema and refinements, and the same one-line messages as the CLI and HTTP API.
  server.server.registerCapabilities({ tools: {} });
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: offered }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = tools.get(request.params.name);
    if (!tool) {
      throw new McpProtocolError(INVALID_PARAMS, `unknown tool "${request.params.name}"; tools: ${offered.map((t) => t.name).join(', ')}`);
    }
    if (tool.destructive && !allowWrites) {
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text: `${tool.name} changes the index and is off on this server (\`priors mcp --allow-writes\` offers it); the user can run \`priors roots remove NAME\` instead`,
          },
        ],
      };
    }
    try {
      const out = await schedule(() => callTool(tool, ctx, request.params.arguments ?? {}));
      return {
        content: [{ type: 'text', text: tool.toText(out, 'agent') }],
        structuredContent: isRecord(out) ? out : { result: out },
      };
    } catch (err) {
      return toolErrorResult(tool.name, err, log);
    }
  });

  registerDocumentResources(server, ctx, schedule);
  registerPrompts(server);
  return server;
}
