import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { DOC_REF_FIELDS, parseDocRef } from '../../tools/doc-ref.js';
import { getDocumentTool } from '../../tools/get-document.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

export function registerGet(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(getDocumentTool, { omit: DOC_REF_FIELDS });
  withCommonOptions(
    options.add(program.command('get').description(summary('get')).argument('<ref>', 'docId or docId:lineStart-lineEnd')),
  ).action(async (ref: string, flags: CommonFlags & Record<string, unknown>) => {
    await runToolCommand(getDocumentTool, { ...options.input(flags), ...parseDocRef(ref) }, flags, config());
  });
}
