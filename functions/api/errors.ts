import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { ErrorKind, ReverieError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { formatIssue } from '../../core/store/json.ts';

const STATUS: Record<string, ContentfulStatusCode> = {
  [ErrorKind.invalidInput]: 400,
  [ErrorKind.unauthorized]: 401,
  [ErrorKind.notFound]: 404,
  [ErrorKind.conflict]: 409,
  [ErrorKind.unavailable]: 503,
  [ErrorKind.dataCorrupt]: 500,
  [ErrorKind.failed]: 500,
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The one place errors become responses: domain errors by kind (4xx; 503 for an unavailable dependency, 500
 * `data_corrupt` for stored data that does not read back), validation errors 400, anything else 500 with no internals
 * exposed (and logged). Messages never show where the store lives on the server.
 */
export function renderError(error: Error, c: Context, log: Logger, redact: (text: string) => string = (t) => t): Response {
  if (error instanceof ReverieError) {
    const status = STATUS[error.kind] ?? 500;
    if (status >= 500) log.error('API request failed', { path: c.req.path, error: error.message });
    return c.json(errorBody(error.kind, redact(error.message)), status);
  }
  if (error instanceof ZodError) {
    return c.json(errorBody(ErrorKind.invalidInput, error.issues.slice(0, 5).map(formatIssue).join('; ')), 400);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 401 ? ErrorKind.unauthorized : status < 500 ? ErrorKind.invalidInput : 'internal';
    return c.json(errorBody(code, error.message || 'request failed'), status);
  }
  log.error('unhandled error in API', { path: c.req.path, error: error.stack ?? String(error) });
  return c.json(errorBody('internal', 'internal error'), 500);
}
