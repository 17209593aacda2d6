import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './errors.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses a request body over `maxBytes` with 413, from Content-Length or while it streams in. */
export function limitBodySize(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json(errorBody('payload_too_large', `request body is over ${maxBytes} bytes (REVERIE_API_MAX_BODY_BYTES)`), 413),
  });
}

/**
 * Refuses a JSON body that nests arrays and objects deeper than `maxDepth` with 400, before it is parsed: a deep
 * document overflows the stack of every recursive reader after it (validation, JSON.stringify of the record).
 */
export function limitJsonDepth(maxDepth: number): MiddlewareHandler {
  return async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || !(c.req.header('content-type') ?? '').includes('json')) return next();
    const depth = jsonDepth(await c.req.text(), maxDepth);
    if (depth > maxDepth) {
      return c.json(errorBody('invalid_input', `JSON body nests deeper than ${maxDepth} levels (REVERIE_API_MAX_JSON_DEPTH)`), 400);
    }
    return next();
  };
}

/** The deepest nesting of `[`/`{` in JSON text, outside strings; stops counting once past `stopAbove`. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return deepest;
}
