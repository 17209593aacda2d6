import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import type { Manifest } from '../store/batch.ts';
import { formatIssue } from '../store/json.ts';
import type { Store } from '../store/store.ts';

/**
 * Streams the JSONL object `name` of a committed batch in batches of parsed records, checking each line against
 * `schema` and the whole object against its manifest entry (size and SHA-256) once read: a corrupt object fails the
 * export before anything is committed. Memory holds one batch of records, not the object.
 *
 * @example
 * for await (const records of committedJsonl(store, manifest, 'iwm.jsonl', IwmRecordSchema)) rows.push(...records);
 */
export async function* committedJsonl<T>(
  store: Store,
  manifest: Manifest,
  name: string,
  schema: z.ZodType<T>,
  batchSize = 1000,
): AsyncIterable<T[]> {
  const entry = manifest.objects.find((o) => o.name === name);
  if (!entry) throw new InvalidInputError(`batch has no object named "${name}"`);
  const hash = createHash('sha256');
  const decoder = new TextDecoder();
  let size = 0, lineNumber = 0, rest = '';
  let batch: T[] = [];
  const parse = (line: string) => {
    lineNumber++;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InvalidInputError(`${entry.key} line ${lineNumber} is not JSON: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidInputError(`${entry.key} line ${lineNumber}: ${parsed.error.issues.slice(0, 3).map(formatIssue).join('; ')}`);
    batch.push(parsed.data);
  };
  for await (const chunk of await store.getStream(entry.key)) {
    hash.update(chunk);
    size += chunk.byteLength;
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) parse(line);
    if (batch.length >= batchSize) yield batch.splice(0);
  }
  parse(rest + decoder.decode());
  if (size !== entry.size || hash.digest('hex') !== entry.sha256) {
    throw new InvalidInputError(`object "${entry.key}" does not match its manifest (size or checksum differs): it is corrupt`);
  }
  if (batch.length > 0) yield batch;
}
