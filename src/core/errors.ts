/** Errors meant for users: `message` is one line that says what is wrong and what to do. */
export class PriorsError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'PriorsError';
  }
}

/** Bad input from the user (flags, query, tool arguments). */
export class UsageError extends PriorsError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export class IndexMissingError extends PriorsError {
  constructor(readonly indexPath: string) {
    super(`no index at ${indexPath} — run \`priors ingest\` first`);
    this.name = 'IndexMissingError';
  }
}

export class ModelMismatchError extends PriorsError {
  constructor(indexPath: string, stored: string, requested: string) {
    super(`index at ${indexPath} was built with ${stored}, not ${requested} — rerun ingest with --rebuild to re-embed with the new model`);
    this.name = 'ModelMismatchError';
  }
}

export class IndexLockedError extends PriorsError {
  constructor(indexPath: string, pid: number) {
    super(`index at ${indexPath} is locked by another ingest (pid ${pid}); wait for it to finish`);
    this.name = 'IndexLockedError';
  }
}

/** A server refuses work because its queue is full; the caller should try again shortly. */
export class BusyError extends PriorsError {
  constructor(message = 'the server is busy; try again in a moment') {
    super(message, 1);
    this.name = 'BusyError';
  }
}

export class NotFoundError extends PriorsError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'NotFoundError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
