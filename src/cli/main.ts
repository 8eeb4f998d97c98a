#!/usr/bin/env node
import './quiet-native-logs.js';
import './closed-pipe.js';
import module from 'node:module';
import { Command, Help } from 'commander';
import type { PriorsConfig } from '../config/config.js';
import { VERSION } from '../version.js';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';
import { reportFailure } from './errors.js';

// Node ≥ 22.1 can keep the compiled code of the command chunks between runs (a cold start then mostly skips
// parsing); Node 20 has no such cache and skips this.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

type Register = (program: Command, config: () => PriorsConfig) => void;

/**
 * Subcommand → the module that registers it. Only the module of the command being run is imported (and
 * `--help`/`--version` import none), so `priors mcp` or `priors stats` never pay for loading the HTTP
 * server, the LLM client or the parsers.
 */
const COMMANDS: Record<CommandName, () => Promise<Register>> = {
  ingest: async () => (await import('./commands/ingest.js')).registerIngest,
  import: async () => (await import('./commands/import.js')).registerImport,
  stats: async () => (await import('./commands/stats.js')).registerStats,
  roots: async () => (await import('./commands/roots.js')).registerRoots,
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

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);

const program = new Command()
  .name('priors')
  .description('search your own writing archive: verbatim passages with citations you can paste')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  const argv = process.argv.slice(2);
  // `priors help <command>` is `priors <command> --help`, which needs only that command's module.
  if (argv[0] === 'help' && isCommand(argv[1])) argv.splice(0, 2, argv[1], '--help');
  const name = argv[0];
  if (isCommand(name)) {
    const { loadConfig } = await import('../config/config.js');
    let cached: PriorsConfig | undefined;
    (await COMMANDS[name]())(program, () => (cached ??= loadConfig()));
  } else {
    // Top-level help, --version, or an unknown command: the static table is all commander needs.
    for (const [command, { summary }] of Object.entries(COMMAND_SUMMARIES)) program.command(command).description(summary);
    program.configureHelp({
      subcommandTerm(cmd) {
        return isCommand(cmd.name()) ? COMMAND_SUMMARIES[cmd.name() as CommandName].term : Help.prototype.subcommandTerm.call(this, cmd);
      },
    });
  }
  await program.parseAsync(argv, { from: 'user' });
} catch (err) {
  reportFailure(err);
}
