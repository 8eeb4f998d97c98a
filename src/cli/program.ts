import './quiet-native-logs.js';
import { Command, Help } from 'commander';
import type { PriorsConfig } from '../config/config.js';
import { VERSION } from '../version.js';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';
import { reportFailure } from './errors.js';

type Register = (program: Command, config: () => PriorsConfig) => void;

/**
 * Subcommand → the module that registers it. Only the module of the command being run is evaluated (and
 * `--help`/`--version` evaluate none), so `priors mcp` or `priors stats` never pay for setting up the HTTP
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

function rootProgram(): Command {
  return new Command()
    .name('priors')
    .description('search your own writing archive: verbatim passages with citations you can paste')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** Top-level help, --version, or an unknown command: the static table is all commander needs. */
function withCommandTable(program: Command): Command {
  for (const [command, { summary }] of Object.entries(COMMAND_SUMMARIES)) program.command(command).description(summary);
  return program.configureHelp({
    subcommandTerm(cmd) {
      return isCommand(cmd.name()) ? COMMAND_SUMMARIES[cmd.name() as CommandName].term : Help.prototype.subcommandTerm.call(this, cmd);
    },
  });
}

/**
 * `priors --help` as commander prints it into a pipe or file (80 columns). The build stores this text in the
 * bin, which prints it without loading commander (scripts/build.mjs, src/cli/main.ts).
 */
export function topLevelHelp(): string {
  return withCommandTable(rootProgram()).helpInformation();
}

/** Run the CLI on its arguments (without `node` and the script); failures set the exit code. */
export async function runCli(args: readonly string[]): Promise<void> {
  const program = rootProgram();
  try {
    const argv = [...args];
    // `priors help <command>` is `priors <command> --help`, which needs only that command's module.
    if (argv[0] === 'help' && isCommand(argv[1])) argv.splice(0, 2, argv[1], '--help');
    const name = argv[0];
    if (isCommand(name)) {
      const { loadConfig } = await import('../config/config.js');
      let cached: PriorsConfig | undefined;
      (await COMMANDS[name]())(program, () => (cached ??= loadConfig()));
    } else withCommandTable(program);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    reportFailure(err);
  }
}
