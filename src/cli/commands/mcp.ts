import type { Command } from 'commander';
import type { PriorsConfig } from '../../config/config.js';
import { summary } from '../command-summaries.js';

interface McpFlags {
  index?: string;
  modelDir?: string;
  allowRead: string[];
  allowWrites?: boolean;
}

export function registerMcp(program: Command, config: () => PriorsConfig): void {
  program
    .command('mcp')
    .description(summary('mcp'))
    .option('--index <path>', 'index location (use an absolute path: agents start servers in a directory of their choosing)')
    .option('--model-dir <dir>', 'folder of local models, for embedding queries')
    .option(
      '--allow-read <folder>',
      "let tools read files in this folder when an agent passes a path (related's draft); repeatable; none by default",
      (folder: string, folders: string[]) => [...folders, folder],
      [],
    )
    .option('--allow-writes', 'offer the tools that change the index (remove_root); off by default: agents only read')
    .action(async (flags: McpFlags) => {
      const cfg = config();
      // Loaded on demand so that the other commands don't pay for the MCP SDK.
      const { serveStdio } = await import('../../mcp/stdio.js');
      await serveStdio({
        index: flags.index ?? cfg.index,
        modelDir: flags.modelDir ?? cfg.modelDir,
        cacheDir: cfg.cacheDir,
        reranker: cfg.reranker,
        allowRead: flags.allowRead,
        allowWrites: flags.allowWrites === true,
      });
      // Native libraries (the index, the model runtime) may hold the event loop open after the client has gone.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
    });
}
