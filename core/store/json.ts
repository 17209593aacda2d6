import type { z } from 'zod';
import { DataCorruptError, NotFoundError } from '../errors.ts';
import type { Store } from './store.ts';

const decoder = new TextDecoder();

/** Reads an object as UTF-8 text. */
export async function getText(store: Store, key: string): Promise<string> {
  return decoder.decode(await store.get(key));
}

/**
 * Reads and validates a stored JSON object. A malformed object is a `DataCorruptError` naming the key, so a corrupt
 * object is reported rather than crashing whoever reads it.
 *
 * @example
 * const manifest = await getJson(store, 'runs/r1/_manifest.json', ManifestSchema);
 */
export async function getJson<T>(store: Store, key: string, schema: z.ZodType<T>): Promise<T> {
  const text = await getText(store, key);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DataCorruptError(`object "${key}" is not valid JSON: ${(error as Error).message}`, { cause: error, details: { key } });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DataCorruptError(`object "${key}" does not match its schema: ${parsed.error.issues.map(formatIssue).join('; ')}`, { details: { key } });
  }
  return parsed.data;
}

/** Like `getJson`, but undefined when the object does not exist. */
export async function getJsonIfExists<T>(store: Store, key: string, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    return await getJson(store, key, schema);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

export async function putJson(store: Store, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`);
}

/** Serialises records as JSON Lines. */
export function toJsonl(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
}

export function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
