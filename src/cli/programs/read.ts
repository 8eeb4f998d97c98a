import type { CommandTable } from '../program.js';

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

/** Each of these commands reads an index. */
export { runIndexCli as runCli } from '../index-program.js';
