import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { timelineTool } from '../../tools/timeline.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerTimeline(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(timelineTool, { omit: ['topic'] });
  withCommonOptions(options.add(program.command('timeline').description(summary('timeline')).argument('<topic...>', 'the topic'))).action(
    async (words: string[], flags: CommonFlags & Record<string, unknown>) => {
      await runToolCommand(timelineTool, { ...options.input(flags), topic: words.join(' ') }, flags, config());
    },
  );
}
