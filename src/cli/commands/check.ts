import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { checkTool } from '../../tools/check.js';
import { schemaOptions } from '../schema-options.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { summary } from '../command-summaries.js';
import { draftInput, withDraftArgument } from '../draft-input.js';

export function registerCheck(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(checkTool, { omit: ['text', 'path'], flagNames: { documents: 'docs' } });
  withCommonOptions(options.add(withDraftArgument(program.command('check').description(summary('check'))))).action(
    async (draft: string, flags: CommonFlags & Record<string, unknown>) => {
      await runToolCommand(checkTool, { ...options.input(flags), ...(await draftInput('check', draft, flags)) }, flags, config());
    },
  );
}
