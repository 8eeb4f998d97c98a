import type { CommandName } from './command-summaries.js';

/**
 * The CLI ships as a few programs (src/cli/programs/<name>.ts), each bundled into one CommonJS file with only
 * the code its commands can reach: a search must not load, nor even skip over, the HTTP server, the MCP
 * SDK, the LLM client or the parsers (each megabyte in the file cost a cold start ~10 ms of CPU). `top` serves
 * what names no command (an unknown one, help on a terminal of another width). Grouping commands that load
 * alike keeps dist/ from holding a copy of zod, Arrow and LanceDB's JavaScript per command.
 */
export type ProgramName = 'top' | 'search' | 'read' | 'ingest' | 'serve';

export const PROGRAM_OF: Record<CommandName, ProgramName> = {
  ingest: 'ingest',
  import: 'ingest',
  stats: 'search',
  roots: 'read',
  ask: 'read',
  search: 'search',
  quote: 'search',
  cite: 'read',
  related: 'read',
  check: 'read',
  timeline: 'read',
  links: 'read',
  list: 'read',
  get: 'read',
  eval: 'ingest',
  chat: 'serve',
  serve: 'serve',
  mcp: 'serve',
};
