import { type CommandTable, runCli } from './program.js';

/**
 * `runCli` for a program whose commands all read an index (search, read): the index starts opening while the command
 * loads (src/cli/program.ts). Kept out of program.ts, which every program bundles: the import of the tool context
 * would put the index layer into the bundle of `--help` and unknown commands too.
 */
export const runIndexCli = (args: readonly string[], table: CommandTable): Promise<void> =>
  runCli(args, table, async (location) => (await import('../tools/context.js')).prefetchIndex(location));
