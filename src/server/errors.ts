import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  BusyError,
  IndexLockedError,
  IndexMissingError,
  ModelMismatchError,
  NotFoundError,
  UsageError,
  errorMessage,
} from '../core/errors.js';
import { ToolInputError } from '../tools/tool.js';

/** An HTTP-level refusal (bad body, wrong content type, bad token) with a one-line message. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: string;
  issues?: { path: string; message: string }[];
}

/** Status and JSON body for any error thrown by a route; never a stack trace. */
export function errorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody; expected: boolean } {
  if (err instanceof ToolInputError) return { status: 400, body: { error: err.message, issues: err.issues }, expected: true };
  if (err instanceof UsageError) return { status: 400, body: { error: err.message }, expected: true };
  if (err instanceof NotFoundError) return { status: 404, body: { error: err.message }, expected: true };
  // The index is absent, busy or built for another model: the server is fine, the data is not ready.
  if (
    err instanceof IndexMissingError ||
    err instanceof IndexLockedError ||
    err instanceof ModelMismatchError ||
    err instanceof BusyError
  ) {
    return { status: 503, body: { error: err.message }, expected: true };
  }
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message }, expected: true };
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { status, body: { error: err.message || 'request refused' }, expected: status < 500 };
  }
  return { status: 500, body: { error: errorMessage(err).split('\n')[0] ?? 'internal error' }, expected: false };
}
