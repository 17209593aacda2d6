import { z } from 'zod';
import { assertPrefix } from './store/keys.ts';
import { environmentPlugin } from './env/environment-plugins.ts';

/**
 * The one schema for an identifier a request names (a dataset, a replay buffer, a run): lowercase letters, digits,
 * `.`, `_` and `-`, starting with a letter or digit, at most 128 characters, never `..`. An id is one store-key segment,
 * so no request can name a key outside its folder, nor a file of the server.
 *
 * @example
 * IdSchema.parse('shop-e1000-r1000-s1'); // ok
 * IdSchema.parse('../etc');              // throws
 */
export const IdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'an id: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit, at most 128 characters')
  .refine((id) => !id.includes('..'), 'an id may not contain ".."');

/**
 * A real environment a request may name: the built-in `shop`, or the http(s) base URL of an AgentGym server. Never a
 * file: a `file://` URL or a path is refused before anything runs.
 */
export const EnvSpecSchema = z
  .string()
  .max(2048)
  .refine((value) => value === 'shop' || isHttpUrl(value) || environmentPlugin(value) !== undefined,
    'an environment: "shop" or the http(s) base URL of an AgentGym server, or a registered plug-in\'s name (REVERIE_ENV_PLUGINS)');

/** A store key prefix a request may name: empty (everything) or relative key segments, never `..` or absolute. */
export const StorePrefixSchema = z
  .string()
  .max(900)
  .refine((prefix) => {
    try {
      assertPrefix(prefix);
      return true;
    } catch {
      return false;
    }
  }, 'a store key prefix: relative "/"-separated segments of letters, digits, . _ = + @ -; no "." or ".." segments');

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
