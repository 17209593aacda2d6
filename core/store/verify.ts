import { DataCorruptError, InvalidInputError, NotFoundError } from '../errors.ts';
import { MANIFEST_NAME, readBatchObject, readManifest } from './batch.ts';
import type { Store } from './store.ts';

export interface BatchPage {
  batches: string[];
  /** Pass back to get the next page; null when this was the last one. */
  nextCursor: string | null;
}

/**
 * One page of committed batches (prefixes that hold a manifest) under `prefix`, in key order after `cursor`.
 *
 * @example
 * const { batches, nextCursor } = await listCommittedBatches(store, 'backfill/', null, 100);
 */
export async function listCommittedBatches(store: Store, prefix: string, cursor: string | null, pageSize: number): Promise<BatchPage> {
  const batches: string[] = [];
  for await (const info of store.list(prefix)) {
    if (!info.key.endsWith(`/${MANIFEST_NAME}`)) continue;
    const batch = info.key.slice(0, -(MANIFEST_NAME.length + 1));
    if (cursor !== null && batch <= cursor) continue;
    if (batches.length === pageSize) return { batches, nextCursor: batches.at(-1)! };
    batches.push(batch);
  }
  return { batches, nextCursor: null };
}

export interface BatchVerification {
  batch: string;
  ok: boolean;
  objects: number;
  bytes: number;
  problems: string[];
}

/** Re-reads every object of a committed batch and checks size and SHA-256 against its manifest. */
export async function verifyBatch(store: Store, batch: string): Promise<BatchVerification> {
  const manifest = await readManifest(store, batch);
  if (!manifest) return { batch, ok: false, objects: 0, bytes: 0, problems: [`${batch} has no manifest`] };
  const problems: string[] = [];
  let bytes = 0;
  for (const entry of manifest.objects) {
    try {
      bytes += (await readBatchObject(store, manifest, entry.name)).byteLength;
    } catch (error) {
      // Missing or corrupt objects are findings; anything else (the store is down) fails the step so it is retried.
      if (!(error instanceof DataCorruptError || error instanceof InvalidInputError || error instanceof NotFoundError)) throw error;
      problems.push(error.message);
    }
  }
  return { batch, ok: problems.length === 0, objects: manifest.objects.length, bytes, problems };
}
