import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, DataCorruptError, InvalidInputError } from '../errors.ts';
import { getJsonIfExists } from './json.ts';
import { joinKey } from './keys.ts';
import type { Body, Store } from './store.ts';

export const MANIFEST_NAME = '_manifest.json';

export const ManifestSchema = z.object({
  version: z.literal(1),
  committedAt: z.string(),
  objects: z.array(z.object({ name: z.string(), key: z.string(), size: z.number().int().nonnegative(), sha256: z.string() })),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface BatchObject {
  name: string;
  body: Body;
}

/**
 * Commits a batch of objects under `prefix`: data objects first, under deterministic keys, then the manifest,
 * written create-only. A batch is visible only once its manifest exists, so a reader never sees half of one.
 * Committing an already-committed batch changes nothing and returns the existing manifest, so a retried or
 * re-run step never duplicates or overwrites committed data.
 *
 * @example
 * const manifest = await commitBatch(store, 'backfill/g1/shards/00003', [
 *   { name: 'embeddings.npy', body: npyBytes },
 *   { name: 'ids.json', body: JSON.stringify(ids) },
 * ], { items: ids.length });
 */
export async function commitBatch(
  store: Store,
  prefix: string,
  objects: readonly BatchObject[],
  meta: Record<string, unknown> = {},
): Promise<Manifest> {
  const manifestKey = joinKey(prefix, MANIFEST_NAME);
  const existing = await readManifest(store, prefix);
  if (existing) return existing;
  const names = new Set<string>();
  for (const object of objects) {
    if (object.name === MANIFEST_NAME) throw new InvalidInputError(`batch object may not be named ${MANIFEST_NAME}`);
    if (names.has(object.name)) throw new InvalidInputError(`batch "${prefix}" lists object "${object.name}" twice`);
    names.add(object.name);
  }
  const entries = [];
  for (const object of objects) {
    const key = joinKey(prefix, object.name);
    const bytes = typeof object.body === 'string' ? new TextEncoder().encode(object.body) : object.body;
    const [digest] = await Promise.all([sha256Async(bytes), store.put(key, bytes)]);
    entries.push({ name: object.name, key, size: bytes.byteLength, sha256: digest });
  }
  const manifest: Manifest = { version: 1, committedAt: new Date().toISOString(), objects: entries, meta };
  const created = await store.putIfAbsent(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  if (created) return manifest;
  // Someone committed the same batch concurrently; theirs stands.
  const winner = await readManifest(store, prefix);
  if (!winner) throw new ConflictError(`batch "${prefix}" manifest vanished during commit`);
  return winner;
}

/** The batch's manifest, or undefined when the batch is not committed. */
export async function readManifest(store: Store, prefix: string): Promise<Manifest | undefined> {
  return getJsonIfExists(store, joinKey(prefix, MANIFEST_NAME), ManifestSchema);
}

/**
 * Reads one object of a committed batch and checks it against the manifest, so a truncated or replaced object
 * is reported instead of being used.
 */
export async function readBatchObject(store: Store, manifest: Manifest, name: string): Promise<Uint8Array> {
  const entry = manifest.objects.find((o) => o.name === name);
  if (!entry) throw new DataCorruptError(`batch manifest lists no object named "${name}"`);
  const bytes = await store.get(entry.key);
  if (bytes.byteLength !== entry.size || (await sha256Async(bytes)) !== entry.sha256) {
    throw new DataCorruptError(`object "${entry.key}" does not match its manifest (size or checksum differs): it is corrupt`, { details: { key: entry.key } });
  }
  return bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * SHA-256 computed off the JavaScript thread (Web Crypto runs on libuv's thread pool), so checking a large shard
 * overlaps with CPU work such as ONNX inference instead of adding to it.
 */
export async function sha256Async(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength < 64 * 1024) return sha256(bytes);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Buffer.from(digest).toString('hex');
}
