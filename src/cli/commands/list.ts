import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { listDocumentsTool } from '../../tools/list-documents.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerList(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(listDocumentsTool);
  withCommonOptions(options.add(program.command('list').description(summary('list')))).action(
    async (flags: CommonFlags & Record<string, unknown>) => {
      await runToolCommand(listDocumentsTool, options.input(flags), flags, config());
    },
  );
}
