#!/usr/bin/env node
import './quiet-native-logs.js';
import './closed-pipe.js';
import { Command, CommanderError } from 'commander';
import { loadConfig, type PriorsConfig } from '../config/config.js';
import { PriorsError, errorMessage } from '../core/errors.js';
import { VERSION } from '../version.js';

type Register = (program: Command, config: () => PriorsConfig) => void;

/**
 * Subcommand → the module that registers it. Only the module of the command being run is imported, so
 * `priors mcp` or `priors stats` never pay for loading the HTTP server, the LLM client or the parsers.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  ingest: async () => (await import('./commands/ingest.js')).registerIngest,
  stats: async () => (await import('./commands/stats.js')).registerStats,
  ask: async () => (await import('./commands/ask.js')).registerAsk,
  search: async () => (await import('./commands/search.js')).registerSearch,
  quote: async () => (await import('./commands/quote.js')).registerQuote,
  cite: async () => (await import('./commands/cite.js')).registerCite,
  related: async () => (await import('./commands/browse.js')).registerBrowse,
  timeline: async () => (await import('./commands/browse.js')).registerBrowse,
  list: async () => (await import('./commands/browse.js')).registerBrowse,
  get: async () => (await import('./commands/browse.js')).registerBrowse,
  eval: async () => (await import('./commands/eval.js')).registerEval,
  chat: async () => (await import('./commands/chat.js')).registerChat,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  mcp: async () => (await import('./commands/mcp.js')).registerMcp,
};

let cached: PriorsConfig | undefined;
const config = () => (cached ??= loadConfig());

const program = new Command()
  .name('priors')
  .description('search your own writing archive: verbatim passages with citations you can paste')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  const name = process.argv[2];
  const wanted = name !== undefined && name in COMMANDS ? [COMMANDS[name]!] : Object.values(COMMANDS);
  // Several names share a module (browse): register each module once.
  const registrars = new Set(await Promise.all(wanted.map((load) => load())));
  for (const register of registrars) register(program, config);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander already printed its message (unknown flag, missing argument, --help, --version).
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof PriorsError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`error: ${errorMessage(err)}\n`);
    if (process.env.PRIORS_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
