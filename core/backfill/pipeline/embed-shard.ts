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
import { embedStoredTensors, readStoredTensors } from '../gallery/stored-tensors.ts';
import type { EmbedSourceOptions } from '../gallery/source-embed.ts';
import { subsetImages } from '../datasets/image-set.ts';
import { embedLiveRows } from '../gallery/changes/live-shard-rows.ts';
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
  /** Items of the shard deleted before it was backfilled: not read or embedded (their rows are zeros, never served). */
  readonly skipped?: number;
  /** True when the shard was already committed: nothing was read, embedded or written. */
  readonly reused: boolean;
}

/**
 * The Map step of the backfill: re-embeds one gallery shard with the new model and commits `embeddings.npy` + ids
 * under `new/shard-N`. A shard that is already committed is skipped before any work, so a retried or re-run step
 * never embeds twice and never overwrites committed data. Items deleted before the step are not read or embedded.
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
    const embedder = await loadGalleryCardEmbedder(store, record, 'new');
    const { uri } = record.source;
    const refs = (rows: Uint32Array | 'all') => (rows === 'all' ? items.sourceIds.map((_, r) => r) : Array.from(rows))
      .map((r) => ({ sourceId: items.sourceIds[r], sha256: items.refs?.[r]?.sha256 }));
    // Ingested with stored tensors: embed those, never the source (which may have changed or gone since).
    const tensors = record.storedTensors === 'new'
      ? await readStoredTensors(store, keys.shard(ShardKind.images, input.shard), embedder.card, items.ids.length)
      : undefined;
    const { features, skipped } = await embedLiveRows(store, record, start, end, record.models.new.dim,
      (rows) => (tensors ? embedStoredTensors(tensors, rows, embedder) : embedSourceRefs(uri, refs(rows), embedder, options)));
    await commitEmbeddingShard(store, target, { features, ids: items.ids }, {
      ingest: record.fingerprint, model: 'new', executionId: input.executionId, skipped, input: tensors ? 'stored-tensors' : 'source',
    });
    announceGalleryChange(store.uri, input.gallery);
    return { shard: input.shard, items: items.ids.length, skipped, reused: false };
  }
  const images = await readShardPixels(store, keys.shard(ShardKind.images, input.shard), record.image);
  if (images.ids.length !== end - start) {
    throw new InvalidInputError(`image shard ${input.shard} of gallery "${input.gallery}" holds ${images.ids.length} images, expected ${end - start}`);
  }
  const embedder = await loadGalleryEmbedder(store, record, 'new', { batchSize: input.batchSize, intraOpNumThreads: input.intraOpNumThreads });
  const { features, skipped } = await embedLiveRows(store, record, start, end, record.models.new.dim,
    (rows) => embedPixelSet(embedder, rows === 'all' ? images : subsetImages(images, rows), { batchSize: input.batchSize, decodeWorkers: options.pixelWorkers ?? 0 }));
  const ids = Array.from({ length: end - start }, (_, i) => galleryItemId(start + i));
  await commitEmbeddingShard(store, target, { features, ids }, { ingest: record.fingerprint, model: 'new', executionId: input.executionId, skipped });
  announceGalleryChange(store.uri, input.gallery);
  return { shard: input.shard, items: ids.length, skipped, reused: false };
}
