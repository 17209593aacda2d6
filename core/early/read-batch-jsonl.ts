import type { z } from 'zod';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { readBatchObject, readManifest } from '../store/batch.ts';
import type { Manifest } from '../store/batch.ts';
import { formatIssue } from '../store/json.ts';
import type { Store } from '../store/store.ts';

/**
 * The records of one JSONL object of a committed batch, each checked against `schema`. These are files this run
 * wrote itself, so a line that does not fit is corruption and fails loudly, naming the key and line.
 */
export async function readBatchJsonl<T>(store: Store, batch: string, name: string, schema: z.ZodType<T>): Promise<{ manifest: Manifest; records: T[] }> {
  const manifest = await readManifest(store, batch);
  if (!manifest) throw new ConflictError(`batch "${batch}" is not committed yet`);
  const text = new TextDecoder().decode(await readBatchObject(store, manifest, name));
  const records: T[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) {
      throw new InvalidInputError(`${batch}/${name} line ${index + 1} is not a valid record: ${formatIssue(parsed.error.issues[0])}`);
    }
    records.push(parsed.data);
  }
  return { manifest, records };
}
