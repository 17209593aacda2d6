import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** POST routes that only read (a query carried in a body), open like GETs. */
const READ_ONLY_POSTS = [/^\/v1\/galleries\/[^/]+\/search$/];

/** Requires `Authorization: Bearer <token>` on every mutating request; reads stay open. `token` undefined: open mode. */
export function requireBearerOnMutations(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (c, next) => {
    if (expected === undefined || !MUTATING.has(c.req.method)) return next();
    if (c.req.method === 'POST' && READ_ONLY_POSTS.some((route) => route.test(c.req.path))) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Digests of equal length are compared, so the time taken tells nothing about the token's length or prefix.
    const given = match ? digest(match[1].trim()) : undefined;
    if (!given || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody('unauthorized', match ? 'bearer token is not valid' : 'missing bearer token (Authorization: Bearer <REVERIE_API_TOKEN>)'), 401);
    }
    return next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
