import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorKind, errorMessage, PriorsError } from '../core/errors.js';
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

/**
 * HTTP status by error kind. An index that is absent, locked or built for another model, or a full queue, is a 503: the server
 * is fine, the data is not ready. Only `internal` and `upstream` failures are logged (see errorResponse).
 */
const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  usage: 400,
  not_found: 404,
  index_missing: 503,
  locked: 503,
  model_mismatch: 503,
  conflict: 409,
  too_large: 413,
  upstream: 502,
  busy: 503,
  cancelled: 503,
  internal: 500,
};

/** Status and JSON body for any error thrown by a route; never a stack trace. */
export function errorResponse(err: unknown): { status: ContentfulStatusCode; body: ErrorBody; expected: boolean } {
  if (err instanceof ToolInputError) return { status: STATUS.usage, body: { error: err.message, issues: err.issues }, expected: true };
  if (err instanceof PriorsError) {
    return { status: STATUS[err.kind], body: { error: err.message }, expected: err.kind !== 'internal' && err.kind !== 'upstream' };
  }
  if (err instanceof HttpError) return { status: err.status, body: { error: err.message }, expected: true };
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return { status, body: { error: err.message || 'request refused' }, expected: status < 500 };
  }
  return { status: STATUS.internal, body: { error: errorMessage(err).split('\n')[0] ?? 'internal error' }, expected: false };
}
