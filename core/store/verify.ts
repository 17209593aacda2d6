import { DataCorruptError, InvalidInputError, NotFoundError } from '../errors.ts';
import { MANIFEST_NAME, readBatchObject, readManifest } from './batch.ts';
import type { Store } from './store.ts';

export interface BatchPage {
  batches: string[];
  /** How many batches this page holds. */
  count: number;
  /** The last manifest key of this page: pass it back to list the next page; null when this was the last one. */
  nextCursor: string | null;
}

/**
 * One page of committed batches (prefixes that hold a manifest) under `prefix`, in key order after `cursor`. The
 * listing starts after the cursor (S3's StartAfter), so paging through N batches lists each key once, not N²/2.
 *
 * @example
 * const { batches, nextCursor } = await listCommittedBatches(store, 'backfill/', null, 100);
 */
export async function listCommittedBatches(store: Store, prefix: string, cursor: string | null, pageSize: number): Promise<BatchPage> {
  const batches: string[] = [];
  let last: string | null = null;
  for await (const info of store.list(prefix, cursor === null ? {} : { startAfter: cursor })) {
    if (!info.key.endsWith(`/${MANIFEST_NAME}`)) continue;
    if (batches.length === pageSize) return { batches, count: batches.length, nextCursor: last };
    batches.push(info.key.slice(0, -(MANIFEST_NAME.length + 1)));
    last = info.key;
  }
  return { batches, count: batches.length, nextCursor: null };
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
  let manifest;
  try {
    manifest = await readManifest(store, batch);
  } catch (error) {
    // A garbage manifest is a finding about this batch; the other batches are still verified and counted.
    if (!(error instanceof DataCorruptError || error instanceof InvalidInputError)) throw error;
    return { batch, ok: false, objects: 0, bytes: 0, problems: [clip(`${batch}: unreadable manifest: ${error.message}`)] };
  }
  if (!manifest) return { batch, ok: false, objects: 0, bytes: 0, problems: [`${batch} has no manifest`] };
  const problems: string[] = [];
  let bytes = 0;
  for (const entry of manifest.objects) {
    try {
      bytes += (await readBatchObject(store, manifest, entry.name)).byteLength;
    } catch (error) {
      // Missing or corrupt objects are findings; anything else (the store is down) fails the step so it is retried.
      if (!(error instanceof DataCorruptError || error instanceof InvalidInputError || error instanceof NotFoundError)) throw error;
      if (problems.length < MAX_BATCH_PROBLEMS) problems.push(clip(error.message));
    }
  }
  return { batch, ok: problems.length === 0, objects: manifest.objects.length, bytes, problems };
}

/** A batch's findings stay small: a page of results (≤ 200 batches) must fit in one Step Functions state. */
const MAX_BATCH_PROBLEMS = 3;
const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text);
