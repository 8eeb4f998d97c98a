import { type CommandTable, runCli as run } from '../program.js';

/** The other commands that read an index (src/cli/program-of.ts). */
export const commands: CommandTable = {
  roots: async () => (await import('../commands/roots.js')).registerRoots,
  ask: async () => (await import('../commands/ask.js')).registerAsk,
  cite: async () => (await import('../commands/cite.js')).registerCite,
  related: async () => (await import('../commands/related.js')).registerRelated,
  check: async () => (await import('../commands/check.js')).registerCheck,
  timeline: async () => (await import('../commands/timeline.js')).registerTimeline,
  links: async () => (await import('../commands/links.js')).registerLinks,
  list: async () => (await import('../commands/list.js')).registerList,
  get: async () => (await import('../commands/get.js')).registerGet,
};

/** Each of these commands reads an index: it starts opening while the command loads (src/cli/program.ts). */
export const runCli = (args: readonly string[], table: CommandTable): Promise<void> =>
  run(args, table, async (location) => (await import('../../tools/context.js')).prefetchIndex(location));
