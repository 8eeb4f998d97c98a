import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { getDocumentTool } from '../../tools/get-document.js';
import { linksTool } from '../../tools/links.js';
import { listDocumentsTool } from '../../tools/list-documents.js';
import { relatedTool } from '../../tools/related.js';
import { timelineTool } from '../../tools/timeline.js';
import { schemaOptions } from '../schema-options.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { parseDocRef } from '../../tools/doc-ref.js';
import { REF_FIELDS } from './cite.js';
import { summary } from '../command-summaries.js';
import { draftInput, withDraftArgument } from '../draft-input.js';

type Flags = CommonFlags & Record<string, unknown>;

/** The tools for exploring an archive: related, timeline, links, list, get. */
export function registerBrowse(program: Command, config: () => PriorsConfig): void {
  const related = schemaOptions(relatedTool, { omit: ['text', 'path'], flagNames: { documents: 'docs' } });
  withCommonOptions(related.add(withDraftArgument(program.command('related').description(summary('related'))))).action(
    async (draft: string, flags: Flags) => {
      await runToolCommand(relatedTool, { ...related.input(flags), ...(await draftInput('related', draft, flags)) }, flags, config());
    },
  );

  const timeline = schemaOptions(timelineTool, { omit: ['topic'] });
  withCommonOptions(timeline.add(program.command('timeline').description(summary('timeline')).argument('<topic...>', 'the topic'))).action(
    async (words: string[], flags: Flags) => {
      await runToolCommand(timelineTool, { ...timeline.input(flags), topic: words.join(' ') }, flags, config());
    },
  );

  const links = schemaOptions(linksTool, { omit: ['topic'] });
  withCommonOptions(
    links.add(program.command('links').description(summary('links')).argument('[topic...]', 'a topic (default: the whole archive)')),
  ).action(async (words: string[], flags: Flags) => {
    const topic = words.join(' ').trim();
    await runToolCommand(linksTool, { ...links.input(flags), ...(topic ? { topic } : {}) }, flags, config());
  });

  const list = schemaOptions(listDocumentsTool);
  withCommonOptions(list.add(program.command('list').description(summary('list')))).action(async (flags: Flags) => {
    await runToolCommand(listDocumentsTool, list.input(flags), flags, config());
  });

  const get = schemaOptions(getDocumentTool, { omit: REF_FIELDS });
  withCommonOptions(
    get.add(program.command('get').description(summary('get')).argument('<ref>', 'docId or docId:lineStart-lineEnd')),
  ).action(async (ref: string, flags: Flags) => {
    await runToolCommand(getDocumentTool, { ...get.input(flags), ...parseDocRef(ref) }, flags, config());
  });
}
