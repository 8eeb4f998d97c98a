import { CommanderError } from 'commander';
import { debugEnabled } from '../config/env.js';
import { type ErrorKind, errorKind, errorMessage, PriorsError } from '../core/errors.js';

/**
 * Exit codes by error kind, for scripts: 2 for usage errors (as Commander's own), 130 for a cancelled run
 * (as a shell reports Ctrl-C), 1 for every other failure. `priors quote` adds 3 (paraphrase) and 4 (not found).
 */
const EXIT_CODES: Record<ErrorKind, number> = {
  usage: 2,
  not_found: 1,
  index_missing: 1,
  locked: 1,
  model_mismatch: 1,
  conflict: 1,
  too_large: 1,
  upstream: 1,
  busy: 1,
  cancelled: 130,
  internal: 1,
};

/** Report a failed command: one `error:` line on stderr (a stack only for bugs, with PRIORS_DEBUG) and its exit code. */
export function reportFailure(err: unknown): void {
  if (err instanceof CommanderError) {
    // Commander already printed its message (unknown flag, missing argument, --help, --version).
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_CODES.usage;
    return;
  }
  process.stderr.write(`error: ${errorMessage(err)}\n`);
  if (!(err instanceof PriorsError) && debugEnabled()) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  process.exitCode = EXIT_CODES[errorKind(err)];
}
