import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { draftArgument } from '../../tools/caller-file.js';
import { checkTool } from '../../tools/check.js';
import { schemaOptions } from '../schema-options.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { summary } from '../command-summaries.js';
import { readStdin } from '../read-stdin.js';

export function registerCheck(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(checkTool, { omit: ['text', 'path'], flagNames: { documents: 'docs' } });
  withCommonOptions(
    options.add(
      program
        .command('check')
        .description(summary('check'))
        .argument('<draft>', 'a draft file, "-" to read the draft from standard input, or the draft itself with --text')
        .option('--text', 'take the argument as the draft text, even where it looks like a file path'),
    ),
  ).action(async (draft: string, flags: CommonFlags & Record<string, unknown> & { text?: boolean }) => {
    // As for related: a path that does not exist is an error, never text to check.
    const source = draft === '-' ? { text: await readStdin() } : draftArgument('check', draft, flags.text === true);
    await runToolCommand(checkTool, { ...options.input(flags), ...source }, flags, config());
  });
}
