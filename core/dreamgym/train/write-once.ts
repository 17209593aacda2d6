import type { z } from 'zod';
import { getJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';

/**
 * Writes a step's JSON result create-only and returns what the store holds: a re-run of the step returns the first
 * result instead of writing a second, different one.
 */
export async function writeOnce<T>(store: Store, key: string, value: T, schema: z.ZodType<T>): Promise<T> {
  if (await store.putIfAbsent(key, `${JSON.stringify(value, null, 2)}\n`)) return value;
  return getJson(store, key, schema);
}
