import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { importTool } from '../../tools/import.js';
import { summary } from '../command-summaries.js';
import { runToolCommand } from '../tool-command.js';

interface ImportFlags {
  out: string;
  baseUrl?: string;
  drafts?: boolean;
  json?: boolean;
}

/** `priors import substack|ghost|wordpress <export> --out DIR`: an export as markdown files priors ingests. */
export function registerImport(program: Command, config: () => PriorsConfig): void {
  program
    .command('import')
    .description(summary('import'))
    .argument('<format>', 'substack, ghost or wordpress')
    .argument('<export>', 'the export: .zip, unpacked folder, or the Ghost .json / WordPress .xml')
    .requiredOption('--out <dir>', 'folder for the markdown files (created if needed)')
    .option('--base-url <url>', "the site's address, for URLs the export does not carry (Substack, Ghost)")
    .option('--drafts', 'also import drafts and unpublished posts')
    .option('--json', 'machine-readable report')
    .action(async (format: string, source: string, flags: ImportFlags) => {
      await runToolCommand(
        importTool,
        { format, source, out: flags.out, baseUrl: flags.baseUrl, drafts: flags.drafts === true },
        { json: flags.json },
        config(),
      );
    });
}
