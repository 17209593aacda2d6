import { createHash } from 'node:crypto';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { MANIFEST_NAME, type Manifest } from './batch.ts';
import { joinKey } from './keys.ts';
import type { Store } from './store.ts';

/** Writes one streamed object of a batch; resolves once the object is in place. */
export type PutObject = (name: string, body: AsyncIterable<Uint8Array>) => Promise<{ size: number }>;

/**
 * Commits a batch whose objects are too large to hold in memory: `write` streams each object in through `put`
 * (sizes and SHA-256 are computed on the way), then the manifest is written create-only, as `commitBatch` does,
 * with the meta `write` returns. If `write` throws, no manifest is written, so readers never see the batch.
 *
 * @example
 * await commitStreamedBatch(store, 'exports/run-1', async (put) => {
 *   await put('data.parquet', parquetStream(columns, batches));
 *   return { rows };
 * });
 */
export async function commitStreamedBatch(
  store: Store,
  prefix: string,
  write: (put: PutObject) => Promise<Record<string, unknown>>,
): Promise<Manifest> {
  const entries: Manifest['objects'] = [];
  const put: PutObject = async (name, body) => {
    if (name === MANIFEST_NAME) throw new InvalidInputError(`batch object may not be named ${MANIFEST_NAME}`);
    if (entries.some((e) => e.name === name)) throw new InvalidInputError(`batch "${prefix}" writes object "${name}" twice`);
    const key = joinKey(prefix, name);
    const hash = createHash('sha256');
    let size = 0;
    await store.putStream(key, (async function* () {
      for await (const chunk of body) {
        hash.update(chunk);
        size += chunk.byteLength;
        yield chunk;
      }
    })());
    entries.push({ name, key, size, sha256: hash.digest('hex') });
    return { size };
  };
  const meta = await write(put);
  const manifest: Manifest = { version: 1, committedAt: new Date().toISOString(), objects: entries, meta };
  if (!(await store.putIfAbsent(joinKey(prefix, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`))) {
    throw new ConflictError(`batch "${prefix}" was committed by someone else while this one was written`);
  }
  return manifest;
}
