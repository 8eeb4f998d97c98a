import { type CommandTable, runCli as run } from '../program.js';

/** The commands an agent runs over and over, with nothing else in their bundle (src/cli/program-of.ts). */
export const commands: CommandTable = {
  search: async () => (await import('../commands/search.js')).registerSearch,
  quote: async () => (await import('../commands/quote.js')).registerQuote,
  stats: async () => (await import('../commands/stats.js')).registerStats,
};

/** Each of these commands reads an index: it starts opening while the command loads (src/cli/program.ts). */
export const runCli = (args: readonly string[], table: CommandTable): Promise<void> =>
  run(args, table, async (location) => (await import('../../tools/context.js')).prefetchIndex(location));
