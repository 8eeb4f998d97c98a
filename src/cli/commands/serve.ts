import type { Command } from 'commander';
import type { Hono } from 'hono';
import { resolveLlmSettings } from '../../agent/llm-config.js';
import type { PriorsConfig } from '../../config/config.js';
import { envToken } from '../../config/env.js';
import { IndexMissingError, UsageError, errorMessage } from '../../core/errors.js';
import { isLoopbackHost, resolveToken } from '../../server/auth.js';
import type { Limiter } from '../../server/limit.js';
import { createToolContext } from '../../tools/context.js';
import type { ArchiveWatch } from '../../tools/ingest.js';
import type { ToolContext } from '../../tools/tool.js';
import { intFlag, listFlag } from '../parse-flags.js';
import { printLine, warnLine } from '../output.js';
import { summary } from '../command-summaries.js';

interface ServeFlags {
  port?: string;
  host?: string;
  token?: string;
  cors?: string[];
  index?: string;
  modelDir?: string;
  model?: string;
  llm?: boolean;
  watch?: boolean;
}

export const DEFAULT_PORT = 4747;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * `serve --watch`: ingest every root the index remembers (a new index: the configured corpus) and keep doing
 * so as files are saved. Searches read the newest published state anyway; `refresh` takes it at once and
 * loads the retriever when the watch created the index. A failing first ingest is a warning: the server
 * keeps serving what the index holds.
 */
async function startWatch(index: string, flags: ServeFlags, cfg: PriorsConfig, refresh: () => Promise<void>): Promise<ArchiveWatch | null> {
  const { runWatch } = await import('../run-ingest.js');
  try {
    const watch = await runWatch([], { index, modelDir: flags.modelDir, everyRoot: true, fallbackRoots: [cfg.corpus] }, cfg, refresh);
    await refresh();
    return watch;
  } catch (err) {
    warnLine(`not watching: ${errorMessage(err)}`);
    return null;
  }
}

export function registerServe(program: Command, config: () => PriorsConfig): void {
  program
    .command('serve')
    .description(summary('serve'))
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--host <address>', `address to bind (default ${DEFAULT_HOST}); any non-loopback address needs --token`)
    .option('--token <token>', 'access token every API call must send as "Authorization: Bearer <token>" (or set PRIORS_TOKEN)')
    .option(
      '--cors <origin>',
      'allow API calls from this origin (repeatable or comma-separated); off by default',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--index <path>', 'index location')
    .option('--model-dir <dir>', 'folder of local models, for embedding queries')
    .option('--model <id>', 'LLM model for the ask view (else PRIORS_LLM_MODEL or the config file)')
    .option('--no-llm', 'never call an LLM: the ask view shows the offline extractive answer')
    .option('--watch', "keep the index current: ingest the index's roots now and again whenever their files are saved")
    .action(async (flags: ServeFlags) => {
      const cfg = config();
      const host = flags.host?.trim() || DEFAULT_HOST;
      const port = intFlag(flags.port, '--port') ?? DEFAULT_PORT;
      if (port < 0 || port > 65535) throw new UsageError(`--port must be between 0 and 65535, not ${port}`);
      const token = resolveToken(host, flags.token ?? envToken());
      const corsOrigins = listFlag(flags.cors) ?? [];
      for (const o of corsOrigins) {
        if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new UsageError(`--cors takes origins like http://localhost:3000, not "${o}"`);
      }

      const llm = flags.llm === false ? null : resolveLlmSettings(cfg, { model: flags.model });
      if (llm && !llm.ok && flags.model) throw new UsageError(llm.message);
      const index = flags.index ?? cfg.index;
      const ctx = createToolContext({
        index,
        modelDir: flags.modelDir ?? cfg.modelDir,
        cacheDir: cfg.cacheDir,
        reranker: cfg.reranker,
        onWarning: warnLine,
      });

      // Loaded here so other commands don't pay for the HTTP stack.
      const { createApp } = await import('../../server/app.js');
      const { startServer } = await import('../../server/start.js');
      const { mountMcp } = await import('../../mcp/http.js');
      // MCP (Streamable HTTP) at /mcp shares the index, the model, the token rule and the request limiter with the API.
      const mount = (app: Hono, httpCtx: ToolContext, limiter: Limiter) =>
        mountMcp(app, () => httpCtx, { schedule: (job, signal) => limiter.run(job, signal) });
      const app = createApp({ ctx, token, llm: llm?.ok ? llm.settings : null, corsOrigins, mount });
      const server = await startServer(app, { host, port });

      printLine(`priors: serving ${index} at ${server.url}/ (MCP at ${server.url}/mcp)`);
      if (token) printLine('priors: API calls need "Authorization: Bearer <token>"; the page asks for the token once');
      if (!isLoopbackHost(host))
        warnLine(
          `listening on ${host}: reachable from other machines; traffic is plain HTTP — put TLS in front for anything but a trusted network`,
        );
      printLine(
        llm?.ok
          ? `priors: ask view answers with ${llm.settings.model}`
          : 'priors: no LLM configured — the ask view shows the offline extractive answer',
      );

      const { untilInterrupted } = await import('./ingest.js');
      const stopped = untilInterrupted();

      // Warm the index and model now so the first search is fast; a missing index is reported, not fatal.
      const warm = async (quiet: boolean) => {
        try {
          await (await ctx.store()).snapshot();
          await ctx.retriever();
        } catch (err) {
          if (!quiet || !(err instanceof IndexMissingError))
            warnLine(`${errorMessage(err)}${err instanceof IndexMissingError ? '; the API answers 503 until then' : ''}`);
        }
      };
      await warm(flags.watch === true);
      const watch = flags.watch ? await startWatch(index, flags, cfg, () => warm(false)) : null;
      await stopped;
      await watch?.close();
      await server.close();
      await ctx.close();
      // Native libraries (the index, the model runtime) may hold the event loop open after closing.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
    });
}
