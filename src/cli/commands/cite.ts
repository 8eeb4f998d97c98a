import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { UsageError } from '../../core/errors.js';
import { citeTool } from '../../tools/cite.js';
import { DOC_REF_FIELDS, parseDocRef } from '../../tools/doc-ref.js';
import { summary } from '../command-summaries.js';
import { schemaOptions } from '../schema-options.js';
import { type CommonFlags, runToolCommand, withCommonOptions } from '../tool-command.js';

/** Fields a `docId:lineStart-lineEnd` reference fills. */
/** A bare sentence (several words, no path separator) is a quote to find, not a document id. */
function looksLikeSentence(ref: string): boolean {
  return !ref.includes('/') && (ref.trim().match(/\s+/g)?.length ?? 0) >= 2;
}

export function registerCite(program: Command, config: () => PriorsConfig): void {
  const options = schemaOptions(citeTool, { omit: DOC_REF_FIELDS });
  withCommonOptions(
    options.add(
      program
        .command('cite')
        .description(summary('cite'))
        .argument('[ref]', 'docId or docId:lineStart-lineEnd (as printed by search/ask), or a sentence to find and cite'),
    ),
  ).action(async (ref: string | undefined, flags: CommonFlags & Record<string, unknown>) => {
    const input = options.input(flags);
    if (ref === undefined && input.quote === undefined) throw new UsageError('cite needs a docId[:lines] or --quote "sentence"');
    const sentence = ref !== undefined && input.quote === undefined && looksLikeSentence(ref);
    const fromRef = ref === undefined ? {} : sentence ? { quote: ref } : parseDocRef(ref);
    await runToolCommand(citeTool, { ...input, ...fromRef }, flags, config());
  });
}
