import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { relatedTool } from '../../tools/related.js';
import { summary } from '../command-summaries.js';
import { draftInput, withDraftArgument } from '../draft-input.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerRelated(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(relatedTool, { omit: ['text', 'path'], flagNames: { documents: 'docs' } });
  withCommonOptions(options.add(withDraftArgument(program.command('related').description(summary('related'))))).action(
    async (draft: string, flags: CommonFlags & Record<string, unknown>) => {
      await runToolCommand(relatedTool, { ...options.input(flags), ...(await draftInput('related', draft, flags)) }, flags, config());
    },
  );
}
