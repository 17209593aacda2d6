import { InvalidInputError } from '../../errors.ts';
import { readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { commitEmbeddingShard } from '../gallery/embedding-shard.ts';
import { announceGalleryChange } from '../gallery/gallery-changes.ts';
import { loadGalleryEmbedder } from '../gallery/gallery-models.ts';
import { readGalleryRecord } from '../gallery/gallery-record.ts';
import { readShardPixels } from '../gallery/image-shard.ts';
import { galleryItemId, galleryKeys, ShardKind, shardRange } from '../gallery/keys.ts';
import type { EmbedShardInput } from './input.ts';

export interface EmbedShardResult {
  readonly shard: number;
  readonly items: number;
  /** True when the shard was already committed: nothing was read, embedded or written. */
  readonly reused: boolean;
}

/**
 * The Map step of the backfill: re-embeds one gallery shard with the new model and commits `embeddings.npy` + ids
 * under `new/shard-N`. A shard that is already committed is skipped before any work, so a retried or re-run step
 * never embeds twice and never overwrites committed data.
 *
 * @example
 * await embedShard(store, { gallery: 'fashion-mnist', shard: 3, executionId: 'backfill-…', batchSize: 256, intraOpNumThreads: 1 });
 */
export async function embedShard(store: Store, input: EmbedShardInput): Promise<EmbedShardResult> {
  const record = await readGalleryRecord(store, input.gallery);
  const keys = galleryKeys(input.gallery);
  const { start, end } = shardRange(input.shard, record.shardSize, record.items);
  const target = keys.shard(ShardKind.new, input.shard);
  if (await readManifest(store, target)) return { shard: input.shard, items: end - start, reused: true };
  const images = await readShardPixels(store, keys.shard(ShardKind.images, input.shard), record.image);
  if (images.ids.length !== end - start) {
    throw new InvalidInputError(`image shard ${input.shard} of gallery "${input.gallery}" holds ${images.ids.length} images, expected ${end - start}`);
  }
  const embedder = await loadGalleryEmbedder(store, record, 'new', { batchSize: input.batchSize, intraOpNumThreads: input.intraOpNumThreads });
  const features = await embedder.embedImages(images);
  const ids = Array.from({ length: end - start }, (_, i) => galleryItemId(start + i));
  await commitEmbeddingShard(store, target, { features, ids }, { ingest: record.fingerprint, model: 'new', executionId: input.executionId });
  announceGalleryChange(store.uri, input.gallery);
  return { shard: input.shard, items: ids.length, reused: false };
}
