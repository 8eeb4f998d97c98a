import { CommanderError } from 'commander';
import { debugEnabled } from '../config/env.js';
import { type ErrorKind, errorKind, errorMessage, PriorsError } from '../core/errors.js';
import { writeErr } from './stdio.js';
import type { QuoteVerdict } from '../tools/quote.js';

/**
 * Every exit code priors sets, for scripts. By error kind: 2 for usage errors (as Commander's own), 130 for a
 * cancelled run (as a shell reports Ctrl-C), 1 for every other failure. By quote verdict (`priors quote`, and
 * any command whose outcome is a quote check): 0 verified (with or without elisions), 3 close or paraphrase,
 * 4 not found.
 */
const EXIT_CODES: { error: Record<ErrorKind, number>; verdict: Record<QuoteVerdict, number> } = {
  error: {
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
  },
  verdict: {
    verified: 0,
    verified_with_elisions: 0,
    close: 3,
    paraphrase: 3,
    not_found: 4,
  },
};

/** Set the exit code a quote verdict stands for (the run itself succeeded). */
export function reportVerdict(verdict: QuoteVerdict): void {
  process.exitCode = EXIT_CODES.verdict[verdict];
}

/** Report a failed command: one `error:` line on stderr (a stack only for bugs, with PRIORS_DEBUG) and its exit code. */
export function reportFailure(err: unknown): void {
  if (err instanceof CommanderError) {
    // Commander already printed its message (unknown flag, missing argument, --help, --version).
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_CODES.error.usage;
    return;
  }
  writeErr(`error: ${errorMessage(err)}\n`);
  if (!(err instanceof PriorsError) && debugEnabled()) writeErr(`${(err as Error).stack ?? ''}\n`);
  process.exitCode = EXIT_CODES.error[errorKind(err)];
}
