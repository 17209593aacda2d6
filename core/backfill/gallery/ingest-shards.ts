import type { Store } from '../../store/store.ts';
import { subsetImages, type ImageSet } from '../datasets/image-set.ts';
import type { OnnxEmbedder } from '../embedder.ts';
import { commitEmbeddingShard } from './embedding-shard.ts';
import { commitImageShard } from './image-shard.ts';
import { galleryItemId, galleryKeys, queryItemId, ShardKind } from './keys.ts';

export type IngestProgress = (done: number, total: number, stage: string) => void;

/** Commits gallery image shards and, beside each, its old-model embedding shard (the index before the upgrade). */
export async function commitGalleryShards(
  store: Store, galleryId: string, images: ImageSet, shardSize: number, ingest: string, oldModel: OnnxEmbedder, onProgress?: IngestProgress,
): Promise<void> {
  const keys = galleryKeys(galleryId);
  await forEachShard(images, shardSize, async (part, shard, start) => {
    const ids = part.ids.map((_, i) => galleryItemId(start + i));
    await commitImageShard(store, keys.shard(ShardKind.images, shard), { ...part, ids, sourceIds: part.ids }, ingest);
    const features = await oldModel.embedImages(part);
    await commitEmbeddingShard(store, keys.shard(ShardKind.old, shard), { features, ids }, { ingest, model: 'old' });
    onProgress?.(start + part.ids.length, images.ids.length, 'gallery shards (images + old-model embeddings)');
  });
}

/** Commits the held-out query images in shards of the same size. */
export async function commitQueryShards(
  store: Store, galleryId: string, images: ImageSet, shardSize: number, ingest: string, onProgress?: IngestProgress,
): Promise<void> {
  const keys = galleryKeys(galleryId);
  await forEachShard(images, shardSize, async (part, shard, start) => {
    const ids = part.ids.map((_, i) => queryItemId(start + i));
    await commitImageShard(store, keys.shard(ShardKind.queries, shard), { ...part, ids, sourceIds: part.ids }, ingest);
    onProgress?.(start + part.ids.length, images.ids.length, 'query shards');
  });
}

async function forEachShard(
  images: ImageSet, shardSize: number, body: (part: ImageSet, shard: number, start: number) => Promise<void>,
): Promise<void> {
  for (let start = 0, shard = 0; start < images.ids.length; start += shardSize, shard++) {
    const end = Math.min(images.ids.length, start + shardSize);
    await body(subsetImages(images, Array.from({ length: end - start }, (_, i) => start + i)), shard, start);
  }
}
