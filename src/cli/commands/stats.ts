import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { statsTool } from '../../tools/stats.js';
import { summary } from '../command-summaries.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerStats(program: Command, config: () => PriorsConfig): void {
  withCommonOptions(program.command('stats').description(summary('stats'))).action(async (flags: CommonFlags) => {
    await runToolCommand(statsTool, {}, flags, config());
  });
}
