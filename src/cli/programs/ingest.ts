import type { CommandTable } from '../program.js';

/** The commands that build an index or the files it is built from (src/cli/program-of.ts). */
export { runCli } from '../program.js';
export const commands: CommandTable = {
  ingest: async () => (await import('../commands/ingest.js')).registerIngest,
  import: async () => (await import('../commands/import.js')).registerImport,
  eval: async () => (await import('../commands/eval.js')).registerEval,
};
