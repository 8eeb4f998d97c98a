/**
 * One taxonomy of failures. Every error meant for a user is a `PriorsError` whose `kind` says what went wrong;
 * each front end maps kinds to its own signal in one place: CLI exit codes (cli/errors.ts), HTTP statuses
 * (server/errors.ts), MCP tool errors and protocol codes (mcp/errors.ts). Anything else is a bug: an
 * `internal` error with the message only (stack with PRIORS_DEBUG).
 */
export type ErrorKind =
  /** Bad input from the caller (flags, query, tool arguments, request body). */
  | 'usage'
  /** A named document (or other thing) does not exist. */
  | 'not_found'
  /** No index at the location yet. */
  | 'index_missing'
  /** Another ingest holds the index. */
  | 'locked'
  /** The index was embedded with another model than the one at hand. */
  | 'model_mismatch'
  /** The request conflicts with the index as it is (e.g. other chunking settings). */
  | 'conflict'
  /** Input over a size limit. */
  | 'too_large'
  /** A service priors depends on (an LLM or embeddings API) failed or refused. */
  | 'upstream'
  /** A server's queue is full (or its caller left while waiting): try again shortly. */
  | 'busy'
  /** The user stopped it (Ctrl-C, a closed request). */
  | 'cancelled'
  /** Something priors itself could not do (a model that won't load, a damaged index, a bug). */
  | 'internal';

/** Errors meant for users: `message` is one line that says what is wrong and what to do. */
export class PriorsError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'internal',
  ) {
    super(message);
    this.name = 'PriorsError';
  }
}

/** Bad input from the user (flags, query, tool arguments). */
export class UsageError extends PriorsError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

export class IndexMissingError extends PriorsError {
  constructor(readonly indexPath: string) {
    super(`no index at ${indexPath} — run \`priors ingest\` first`, 'index_missing');
    this.name = 'IndexMissingError';
  }
}

/** An index path that names a file, not a folder (mkdir and LanceDB would answer with an errno or a Rust error dump). */
export class IndexNotFolderError extends UsageError {
  constructor(readonly indexPath: string) {
    super(`${indexPath} is a file, not an index folder: --index names the folder \`priors ingest\` writes`);
    this.name = 'IndexNotFolderError';
  }
}

export class ModelMismatchError extends PriorsError {
  constructor(indexPath: string, stored: string, requested: string) {
    super(
      `index at ${indexPath} was built with ${stored}, not ${requested} — rerun ingest with --rebuild to re-embed with the new model`,
      'model_mismatch',
    );
    this.name = 'ModelMismatchError';
  }
}

export class IndexLockedError extends PriorsError {
  constructor(indexPath: string, pid: number) {
    super(`index at ${indexPath} is locked by another ingest (pid ${pid}); wait for it to finish`, 'locked');
    this.name = 'IndexLockedError';
  }
}

/** A server refuses work because its queue is full; the caller should try again shortly. */
export class BusyError extends PriorsError {
  constructor(message = 'the server is busy; try again in a moment') {
    super(message, 'busy');
    this.name = 'BusyError';
  }
}

/** An index written by another version of priors, in a layout this one does not read. */
export class IndexFormatError extends PriorsError {
  /** `remembersRoots`: the index's settings list its roots (format 3 on), so a bare `priors ingest` re-reads them. */
  constructor(indexPath: string, found: number, wanted: number, remembersRoots = false) {
    const ingest = `priors ingest${remembersRoots ? '' : ' <your folders>'} --index ${indexPath}`;
    super(
      found < wanted
        ? `index at ${indexPath} was written by an older priors (index format ${found}, this version reads ${wanted}) — run \`${ingest}\` to rebuild it`
        : `index at ${indexPath} was written by a newer priors (index format ${found}, this version reads ${wanted}) — upgrade priors, or rebuild it with \`${ingest} --rebuild\``,
    );
    this.name = 'IndexFormatError';
  }
}

export class NotFoundError extends PriorsError {
  constructor(message: string) {
    super(message, 'not_found');
    this.name = 'NotFoundError';
  }
}

/** The kind of any thrown value: a `PriorsError`'s own, `internal` for everything else. */
export function errorKind(err: unknown): ErrorKind {
  return err instanceof PriorsError ? err.kind : 'internal';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
