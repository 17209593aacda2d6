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
  [ErrorKind.failed]: 500,
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The one place errors become responses: domain errors by kind (4xx, or 503 for an unavailable dependency),
 * validation errors 400, anything else 500 with no internals exposed (and logged).
 */
export function renderError(error: Error, c: Context, log: Logger): Response {
  if (error instanceof ReverieError) return c.json(errorBody(error.kind, error.message), STATUS[error.kind] ?? 500);
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
