import { errorMessage } from '../core/errors.js';
import { createToolContext } from '../tools/context.js';
import { createMcpServer } from './server.js';
import { BoundedStdioTransport } from './stdio-transport.js';

export interface StdioOptions {
  index: string;
  modelDir?: string | undefined;
  cacheDir?: string | undefined;
  reranker?: string | undefined;
  /** Folders whose files tools may read when the agent names a path; none by default. */
  allowRead?: readonly string[];
  /** Offer the tools that change the index (remove_root); off by default. */
  allowWrites?: boolean;
}

const log = (line: string) => void process.stderr.write(`priors mcp: ${line}\n`);

/** stdout carries only protocol messages, so a dependency that prints to it would corrupt the stream. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

/**
 * Serve MCP on stdin/stdout until the client goes away (stdin ends, stdout breaks, or a signal).
 * `initialize` is answered before the index and model are opened; they load in the background right after.
 */
export async function serveStdio(opts: StdioOptions): Promise<void> {
  keepStdoutForProtocol();
  const ctx = createToolContext({
    index: opts.index,
    modelDir: opts.modelDir,
    cacheDir: opts.cacheDir,
    reranker: opts.reranker,
    onWarning: (m) => log(`warning: ${m}`),
    // No folders: a path is refused with a message naming --allow-read.
    fileAccess: { folders: opts.allowRead ?? [] },
  });
  const server = createMcpServer(ctx, { log, allowWrites: opts.allowWrites === true });

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let closing = false;
  // The index and model are not disposed: the process is about to exit, and releasing native
  // resources under a tool call still in flight is riskier than letting exit free them.
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close().then(finish, finish);
  };

  server.server.oninitialized = () => {
    ctx.retriever().then(
      () => log(`ready (index ${opts.index})`),
      // The failure is not cached: each tool call retries and reports it as a tool error.
      (err: unknown) => log(errorMessage(err)),
    );
  };
  server.server.onclose = shutdown;

  process.stdin.once('end', shutdown);
  process.stdin.once('close', shutdown);
  // A client that died leaves a broken pipe; without a listener the write error would crash with a stack trace.
  process.stdout.on('error', shutdown);
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.on('unhandledRejection', (reason) => log(`unexpected error: ${errorMessage(reason)}`));

  if (process.stdin.isTTY) log('speaks MCP on stdin/stdout for an agent to start (see docs/mcp.md); Ctrl-C to quit');
  await server.connect(new BoundedStdioTransport(process.stdin, process.stdout, undefined, log));
  await done;
}
