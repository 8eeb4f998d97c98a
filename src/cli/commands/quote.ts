import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { quoteTool } from '../../tools/quote.js';
import { intFlag } from '../parse-flags.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { summary } from '../command-summaries.js';

export function registerQuote(program: Command, config: () => PriorsConfig): void {
  withCommonOptions(
    program
      .command('quote')
      .description(summary('quote'))
      .argument('<text...>', 'the quote as you remember it')
      .option('--limit <n>', 'locations to show (default 3)'),
  ).action(async (words: string[], flags: CommonFlags & { limit?: string }) => {
    const out = await runToolCommand(quoteTool, { text: words.join(' '), limit: intFlag(flags.limit, '--limit') }, flags, config());
    // Scripts can branch on the exit code: 0 verified, 3 paraphrase, 4 not found.
    if (out.verdict !== 'verified') process.exitCode = out.verdict === 'paraphrase' ? 3 : 4;
  });
}
