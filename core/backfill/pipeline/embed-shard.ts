import { InvalidInputError } from '../../errors.ts';
import { readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { commitEmbeddingShard } from '../gallery/embedding-shard.ts';
import { announceGalleryChange } from '../gallery/gallery-changes.ts';
import { loadGalleryEmbedder } from '../gallery/gallery-models.ts';
import { readGalleryRecord } from '../gallery/gallery-record.ts';
import { readShardItems, readShardPixels } from '../gallery/image-shard.ts';
import { loadGalleryCardEmbedder } from '../gallery/card-models.ts';
import { embedSourceRefs } from '../gallery/source-embed.ts';
import type { EmbedSourceOptions } from '../gallery/source-embed.ts';
import { galleryItemId, galleryKeys, ShardKind, shardRange } from '../gallery/keys.ts';
import { embedPixelSet } from './embed-pixels.ts';
import type { EmbedShardInput } from './input.ts';

/** Image limits, the `s3://` opener (`Runtime.sourceStore`) and decode workers for streamed galleries. */
export interface EmbedShardOptions extends EmbedSourceOptions {
  /**
   * Worker threads converting a built-in gallery's pixels to float beside inference (`embedPixelSet`). Default 0:
   * on this 2-core machine it measured slower than converting on the inference thread (backfill-pipeline/reembed-throughput).
   */
  readonly pixelWorkers?: number;
}

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
export async function embedShard(store: Store, input: EmbedShardInput, options: EmbedShardOptions = {}): Promise<EmbedShardResult> {
  const record = await readGalleryRecord(store, input.gallery);
  const keys = galleryKeys(input.gallery);
  const { start, end } = shardRange(input.shard, record.shardSize, record.items);
  const target = keys.shard(ShardKind.new, input.shard);
  if (await readManifest(store, target)) return { shard: input.shard, items: end - start, reused: true };
  if (record.source.kind === 'stream') {
    // A streamed gallery's shard references its source objects: read them again and embed with the new card.
    const items = await readShardItems(store, keys.shard(ShardKind.images, input.shard));
    if (items.ids.length !== end - start) {
      throw new InvalidInputError(`image shard ${input.shard} of gallery "${input.gallery}" lists ${items.ids.length} items, expected ${end - start}`);
    }
    const refs = items.sourceIds.map((sourceId, i) => ({ sourceId, sha256: items.refs?.[i]?.sha256 }));
    const embedder = await loadGalleryCardEmbedder(store, record, 'new');
    const features = await embedSourceRefs(record.source.uri, refs, embedder, options);
    await commitEmbeddingShard(store, target, { features, ids: items.ids }, { ingest: record.fingerprint, model: 'new', executionId: input.executionId });
    announceGalleryChange(store.uri, input.gallery);
    return { shard: input.shard, items: items.ids.length, reused: false };
  }
  const images = await readShardPixels(store, keys.shard(ShardKind.images, input.shard), record.image);
  if (images.ids.length !== end - start) {
    throw new InvalidInputError(`image shard ${input.shard} of gallery "${input.gallery}" holds ${images.ids.length} images, expected ${end - start}`);
  }
  const embedder = await loadGalleryEmbedder(store, record, 'new', { batchSize: input.batchSize, intraOpNumThreads: input.intraOpNumThreads });
  const features = await embedPixelSet(embedder, images, { batchSize: input.batchSize, decodeWorkers: options.pixelWorkers ?? 0 });
  const ids = Array.from({ length: end - start }, (_, i) => galleryItemId(start + i));
  await commitEmbeddingShard(store, target, { features, ids }, { ingest: record.fingerprint, model: 'new', executionId: input.executionId });
  announceGalleryChange(store.uri, input.gallery);
  return { shard: input.shard, items: ids.length, reused: false };
}
