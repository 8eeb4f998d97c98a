import './quiet-native-logs.js';
import { Command, Help } from 'commander';
import type { PriorsConfig } from '../config/config.js';
import { VERSION } from '../version.js';
import { COMMAND_SUMMARIES, type CommandName } from './command-summaries.js';
import { reportFailure } from './errors.js';
import { indexArgument } from './parse-flags.js';
import { envIndex } from '../config/env.js';

export type Register = (program: Command, config: () => PriorsConfig) => void;

/** Starts opening the index at a location, for a program whose commands all read one (`prefetchIndex`). */
export type Prefetch = (location: string) => Promise<void>;

/**
 * Subcommand → the module that registers it, imported when that command runs: only its module is evaluated
 * (and `--help`/`--version` evaluate none), so `priors mcp` or `priors stats` never pay for setting up the
 * HTTP server, the LLM client or the parsers. Each program of src/cli/programs/ holds the commands it serves.
 */
export type CommandTable = Partial<Record<CommandName, () => Promise<Register>>>;

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMAND_SUMMARIES, name);

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

/**
 * Start opening the index a command will read, so that LanceDB connects on its own threads while this one loads
 * the command's code (its tools, zod, the search): ~2 ms of a cold search. The location is the one the command
 * will use, read ahead of commander: `--index`, else PRIORS_INDEX — known before the configuration is loaded (zod
 * with it, for its files), which the index then need not wait for — else the configuration's. Should it differ (a
 * bad config file, which the command then reports), the prefetch is simply never used.
 */
async function prefetchIndex(location: string | (() => string), prefetch: Prefetch): Promise<void> {
  let resolved: string;
  try {
    resolved = typeof location === 'string' ? location : location();
  } catch {
    return;
  }
  await prefetch(resolved);
}

/**
 * One turn of the event loop, between loading steps, for the index the command began opening: LanceDB calls back on
 * this thread (a connection made, a table opened), and each callback starts its next step. Loading the command's
 * code in one go kept them waiting until all of it had loaded (traced: connecting took 2 ms but was seen after 5).
 */
const letIndexCallbacksRun = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run the CLI on its arguments (without `node` and the script); failures set the exit code. */
export async function runCli(args: readonly string[], commands: CommandTable, prefetch?: Prefetch): Promise<void> {
  const program = rootProgram();
  try {
    const argv = [...args];
    // `priors help <command>` is `priors <command> --help`, which needs only that command's module.
    if (argv[0] === 'help' && isCommand(argv[1])) argv.splice(0, 2, argv[1], '--help');
    const name = argv[0];
    if (isCommand(name)) {
      const register = commands[name];
      if (!register) throw new Error(`the ${name} command is not part of this program (src/cli/program-of.ts)`);
      const named = indexArgument(argv) ?? envIndex();
      if (prefetch && named !== undefined) await prefetchIndex(named, prefetch);
      const { loadConfig } = await import('../config/config.js');
      let cached: PriorsConfig | undefined;
      const config = () => (cached ??= loadConfig());
      if (prefetch && named === undefined) await prefetchIndex(() => config().index, prefetch);
      if (prefetch) await letIndexCallbacksRun();
      const registerCommand = await register();
      if (prefetch) await letIndexCallbacksRun();
      registerCommand(program, config);
    } else withCommandTable(program);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    reportFailure(err);
  }
}
