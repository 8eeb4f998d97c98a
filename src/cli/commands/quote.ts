import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { quoteTool } from '../../tools/quote.js';
import { schemaOptions } from '../schema-options.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { summary } from '../command-summaries.js';
import { reportVerdict } from '../errors.js';

export function registerQuote(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(quoteTool, { omit: ['text'] });
  withCommonOptions(
    options.add(program.command('quote').description(summary('quote')).argument('<text...>', 'the quote as you remember it')),
  ).action(async (words: string[], flags: CommonFlags & Record<string, unknown>) => {
    const out = await runToolCommand(quoteTool, { ...options.input(flags), text: words.join(' ') }, flags, config());
    // Scripts can branch on the exit code (cli/errors.ts): 0 verified, 3 close or paraphrase, 4 not found.
    reportVerdict(out.verdict);
  });
}
