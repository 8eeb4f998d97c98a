import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { linksTool } from '../../tools/links.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerLinks(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(linksTool, { omit: ['topic'] });
  withCommonOptions(
    options.add(program.command('links').description(summary('links')).argument('[topic...]', 'a topic (default: the whole archive)')),
  ).action(async (words: string[], flags: CommonFlags & Record<string, unknown>) => {
    const topic = words.join(' ').trim();
    await runToolCommand(linksTool, { ...options.input(flags), ...(topic ? { topic } : {}) }, flags, config());
  });
}
