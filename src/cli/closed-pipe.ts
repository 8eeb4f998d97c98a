/**
 * `priors stats | head -1`: once the reader has what it wants it closes the pipe, and the next write fails
 * with EPIPE. That is the reader saying "enough", not a failure: stop at once, quietly, with exit 0 (as
 * `cat` and `grep` do) instead of an unhandled-error stack trace. Other stream errors stay errors.
 */
function endQuietlyOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
}

process.stdout.on('error', endQuietlyOnClosedPipe);
process.stderr.on('error', endQuietlyOnClosedPipe);
