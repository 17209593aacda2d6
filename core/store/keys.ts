import { InvalidInputError } from '../errors.ts';

const SEGMENT = /^[A-Za-z0-9._=+@-][A-Za-z0-9._=+@ -]*$/;

/**
 * Checks a store key: relative, `/`-separated, no empty, `.` or `..` segments, portable characters only.
 * The same rule holds for every adapter so a key that works on disk works on S3.
 *
 * @example
 * assertKey('backfill/g1/shards/00003.npy'); // ok
 * assertKey('../etc/passwd');                // throws InvalidInputError
 */
export function assertKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidInputError('store key must be a non-empty string');
  if (key.length > 900) throw new InvalidInputError(`store key is longer than 900 characters: ${key.slice(0, 60)}…`);
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
      throw new InvalidInputError(
        `invalid store key "${key}": segments must be non-empty, not "." or "..", and use letters, digits, . _ = + @ - or spaces`,
      );
    }
  }
  return key;
}

/** Joins key parts with `/`, dropping empty parts, and checks the result. */
export function joinKey(...parts: Array<string | number>): string {
  return assertKey(parts.map(String).filter((p) => p.length > 0).join('/'));
}

/** Checks a list prefix: empty (everything) or a key-like string that may end with `/`. */
export function assertPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  assertKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}
