import type { CommandTable } from '../program.js';

/** What names no command: commander's own help, version and "unknown command" (src/cli/program-of.ts). */
export { runCli, topLevelHelp } from '../program.js';
export const commands: CommandTable = {};
