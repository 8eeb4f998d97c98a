import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { PriorsConfig } from '../../config/config.js';
import { getDocumentTool } from '../../tools/get-document.js';
import { listDocumentsTool } from '../../tools/list-documents.js';
import { relatedTool } from '../../tools/related.js';
import { timelineTool } from '../../tools/timeline.js';
import { withFilterOptions } from '../filter-options.js';
import { filterInput, intFlag, listFlag, type FilterFlags } from '../parse-flags.js';
import { runToolCommand, withCommonOptions, type CommonFlags } from '../tool-command.js';
import { parseCiteRef } from './cite.js';
import { summary } from '../command-summaries.js';

/** The tools for exploring an archive: related, timeline, list, get. */
export function registerBrowse(program: Command, config: () => PriorsConfig): void {
  withCommonOptions(
    program
      .command('related')
      .description(summary('related'))
      .argument('<draft>', 'a draft file, or "-" to read the draft from standard input')
      .option('--docs <n>', 'documents to list (default 8)')
      .option('--passages <n>', 'connecting passages per document (default 2)'),
  ).action(async (draft: string, flags: CommonFlags & { docs?: string; passages?: string }) => {
    const source = draft === '-' ? { text: await readStdin() } : existsSync(draft) ? { path: draft } : { text: draft };
    await runToolCommand(
      relatedTool,
      { ...source, documents: intFlag(flags.docs, '--docs'), passages: intFlag(flags.passages, '--passages') },
      flags,
      config(),
    );
  });

  withFilterOptions(
    withCommonOptions(
      program
        .command('timeline')
        .description(summary('timeline'))
        .argument('<topic...>', 'the topic')
        .option('--limit <n>', 'documents on the timeline (default 12)'),
    ),
  ).action(async (words: string[], flags: CommonFlags & FilterFlags & { limit?: string }) => {
    await runToolCommand(
      timelineTool,
      { topic: words.join(' '), limit: intFlag(flags.limit, '--limit'), ...filterInput(flags) },
      flags,
      config(),
    );
  });

  withCommonOptions(
    program
      .command('list')
      .description(summary('list'))
      .option('--since <date>', 'dated on or after')
      .option('--until <date>', 'dated on or before')
      .option('--type <types>', 'comma-separated types')
      .option('--tag <tags>', 'comma-separated tags')
      .option('--sort <order>', 'date-desc (default), date-asc or title')
      .option('--limit <n>', 'at most this many (default 50)')
      .option('--offset <n>', 'skip this many'),
  ).action(
    async (
      flags: CommonFlags & { since?: string; until?: string; type?: string; tag?: string; sort?: string; limit?: string; offset?: string },
    ) => {
      await runToolCommand(
        listDocumentsTool,
        {
          since: flags.since,
          until: flags.until,
          type: listFlag(flags.type),
          tag: listFlag(flags.tag),
          sort: flags.sort,
          limit: intFlag(flags.limit, '--limit'),
          offset: intFlag(flags.offset, '--offset'),
        },
        flags,
        config(),
      );
    },
  );

  withCommonOptions(
    program
      .command('get')
      .description(summary('get'))
      .argument('<ref>', 'docId or docId:lineStart-lineEnd')
      .option('--max-chars <n>', 'at most this many characters (default 8000)'),
  ).action(async (ref: string, flags: CommonFlags & { maxChars?: string }) => {
    await runToolCommand(getDocumentTool, { ...parseCiteRef(ref), maxChars: intFlag(flags.maxChars, '--max-chars') }, flags, config());
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
