#!/usr/bin/env node
import './quiet-native-logs.js';
import { Command, CommanderError } from 'commander';
import { loadConfig, type PriorsConfig } from '../config/config.js';
import { PriorsError, errorMessage } from '../core/errors.js';
import { registerIngest } from './commands/ingest.js';
import { registerStats } from './commands/stats.js';
import { registerSearch } from './commands/search.js';
import { registerAsk } from './commands/ask.js';
import { registerQuote } from './commands/quote.js';
import { registerCite } from './commands/cite.js';
import { registerEval } from './commands/eval.js';
import { registerBrowse } from './commands/browse.js';
import { registerChat } from './commands/chat.js';
import { registerMcp } from './commands/mcp.js';
import { registerServe } from './commands/serve.js';
import { VERSION } from '../version.js';

let cached: PriorsConfig | undefined;
const config = () => (cached ??= loadConfig());

const program = new Command()
  .name('priors')
  .description("search your own writing archive: verbatim passages with citations you can paste")
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerIngest(program, config);
registerStats(program, config);
registerSearch(program, config);
registerAsk(program, config);
registerQuote(program, config);
registerCite(program, config);
registerBrowse(program, config);
registerEval(program, config);
registerChat(program, config);
registerMcp(program, config);
registerServe(program, config);

try {
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
