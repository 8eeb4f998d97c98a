import type { CommandTable } from '../program.js';

/** The commands an agent runs over and over, with nothing else in their bundle (src/cli/program-of.ts). */
export const commands: CommandTable = {
  search: async () => (await import('../commands/search.js')).registerSearch,
  quote: async () => (await import('../commands/quote.js')).registerQuote,
  stats: async () => (await import('../commands/stats.js')).registerStats,
};

/** Each of these commands reads an index. */
export { runIndexCli as runCli } from '../index-program.js';
