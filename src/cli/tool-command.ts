import type { Command } from 'commander';
import type { z } from 'zod';
import type { PriorsConfig } from '../config/config.js';
import { createToolContext } from '../tools/context.js';
import { callTool, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { printJson, printLine, warnLine } from './output.js';

export interface CommonFlags {
  index?: string;
  json?: boolean;
  modelDir?: string;
}

/** Options every tool subcommand takes. */
export function withCommonOptions(cmd: Command): Command {
  return (
    cmd
      .option('--index <path>', 'index location')
      // Neutral: most commands that take it (stats, list, get) never embed anything.
      .option('--model-dir <dir>', 'folder of local models (<org>/<name>/), searched first')
      .option('--json', 'machine-readable output')
  );
}

/** The tool context every CLI command uses: index, model folder and reranker from flags or config. */
export function cliToolContext(flags: Pick<CommonFlags, 'index' | 'modelDir'>, config: PriorsConfig) {
  return createToolContext({
    index: flags.index ?? config.index,
    modelDir: flags.modelDir ?? config.modelDir,
    cacheDir: config.cacheDir,
    reranker: config.reranker,
    onWarning: warnLine,
    // The user typed any path a command reads (related's draft).
    fileAccess: 'any',
    oneShot: true,
  });
}

/**
 * Run one tool from the CLI: validate with the tool's own schema, print JSON or the tool's text.
 * `render` lets a command show richer terminal output than the tool's plain text.
 */
export async function runToolCommand<S extends z.ZodObject, O>(
  tool: ToolDefinition<S, O>,
  raw: unknown,
  flags: CommonFlags,
  config: PriorsConfig,
  options: { before?: (ctx: ToolContext) => Promise<void>; render?: (out: O) => string } = {},
): Promise<O> {
  const ctx = cliToolContext(flags, config);
  try {
    await options.before?.(ctx);
    const out = await callTool(tool, ctx, raw);
    if (flags.json) printJson(out);
    else printLine(options.render ? options.render(out) : tool.toText(out));
    return out;
  } finally {
    await ctx.close();
  }
}
