import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { indexStats } from '../../index/stats.js';
import { IndexStore } from '../../index/store.js';
import { formatBytes } from '../progress.js';
import { printJson, printLine } from '../output.js';

export function registerStats(program: Command, config: () => PriorsConfig): void {
  program
    .command('stats')
    .description('documents, chunks, words, model and size of an index')
    .option('--index <path>', 'index location')
    .option('--json', 'machine-readable output')
    .action(async (opts: { index?: string; json?: boolean }) => {
      const store = await IndexStore.open(opts.index ?? config().index, { create: false });
      try {
        const s = await indexStats(store);
        if (opts.json) return printJson(s);
        printLine(`index       ${s.index}`);
        printLine(
          `documents   ${s.documents} (${Object.entries(s.byType)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')})`,
        );
        printLine(`chunks      ${s.chunks}`);
        printLine(`words       ${s.words.toLocaleString('en-US')}`);
        printLine(`model       ${s.model}`);
        if (s.chunking) printLine(`chunking    ${s.chunking.maxTokens} tokens, ${s.chunking.overlapTokens} overlap`);
        if (s.sizeBytes !== null) printLine(`size        ${formatBytes(s.sizeBytes)}`);
        printLine(`last ingest ${s.lastIngestAt ?? 'never'}`);
      } finally {
        store.close();
      }
    });
}
