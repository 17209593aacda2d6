import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { readBatchObject } from '../../store/batch.ts';
import { decodeNpy, encodeNpy } from '../../store/npy.ts';
import type { Store } from '../../store/store.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../features.ts';
import { commitGalleryBatch, parseJsonBytes, requireManifest } from './gallery-batch.ts';

export const EMBEDDINGS_FILE = 'embeddings.npy';
export const IDS_FILE = 'ids.json';

/** One shard of a gallery's embedding index: float32 `[rows, dim]` features and the item id of each row. */
export interface EmbeddingShard {
  readonly features: FeatureMatrix;
  readonly ids: readonly string[];
}

/**
 * Commits `embeddings.npy` (float32 little-endian, numpy-readable) and `ids.json`; a re-commit is a no-op.
 *
 * @example
 * await commitEmbeddingShard(store, keys.shard('new', 3), { features, ids }, { ingest: record.fingerprint, model: 'new' });
 */
export async function commitEmbeddingShard(
  store: Store,
  prefix: string,
  shard: EmbeddingShard,
  meta: { ingest: string } & Record<string, unknown>,
): Promise<void> {
  if (shard.ids.length !== shard.features.rows) {
    throw new InvalidInputError(`embedding shard ${prefix}: ${shard.features.rows} feature rows but ${shard.ids.length} ids`);
  }
  await commitGalleryBatch(store, prefix, [
    { name: EMBEDDINGS_FILE, body: encodeNpy(shard.features.data, [shard.features.rows, shard.features.dim]) },
    { name: IDS_FILE, body: JSON.stringify(shard.ids) },
  ], { ...meta, items: shard.ids.length, dim: shard.features.dim });
}

/**
 * Reads a committed embedding shard and checks it: objects against the manifest (size, SHA-256), the `.npy` format,
 * and its shape against what the gallery expects, each failure naming the file and the problem.
 *
 * @example
 * const { features, ids } = await readEmbeddingShard(store, keys.shard('old', 0), { rows: 1000, dim: 64, model: 'old' });
 */
export async function readEmbeddingShard(
  store: Store,
  prefix: string,
  expected: { rows: number; dim: number; model: string },
): Promise<EmbeddingShard> {
  const manifest = await requireManifest(store, prefix, 'embedding shard');
  const source = `${prefix}/${EMBEDDINGS_FILE}`;
  const { data, shape } = decodeNpy(await readBatchObject(store, manifest, EMBEDDINGS_FILE), source);
  if (shape.length !== 2) throw new InvalidInputError(`${source} has shape [${shape.join(', ')}], expected a [rows, dim] matrix`);
  const [rows, dim] = shape;
  if (dim !== expected.dim) {
    throw new InvalidInputError(`${source} holds ${dim}-dimensional features, but the gallery's ${expected.model} model gives ${expected.dim}`);
  }
  if (rows !== expected.rows) throw new InvalidInputError(`${source} holds ${rows} rows, the shard has ${expected.rows} items`);
  const ids = parseJsonBytes(await readBatchObject(store, manifest, IDS_FILE), `${prefix}/${IDS_FILE}`, z.array(z.string()));
  if (ids.length !== rows) throw new InvalidInputError(`${prefix}/${IDS_FILE} lists ${ids.length} ids for ${rows} rows`);
  return { features: createFeatureMatrix(data, dim), ids };
}
