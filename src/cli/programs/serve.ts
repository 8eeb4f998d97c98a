import type { CommandTable } from '../program.js';

/** The long-running sessions: the HTTP server, the MCP server, the chat (src/cli/program-of.ts). */
export { runCli } from '../program.js';
export const commands: CommandTable = {
  serve: async () => (await import('../commands/serve.js')).registerServe,
  mcp: async () => (await import('../commands/mcp.js')).registerMcp,
  chat: async () => (await import('../commands/chat.js')).registerChat,
};
