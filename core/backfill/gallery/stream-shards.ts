import { ConflictError } from '../../errors.ts';
import { readManifest, type Manifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { createFeatureMatrix } from '../features.ts';
import { listCommittedShards } from './committed-shards.ts';
import { commitEmbeddingShard } from './embedding-shard.ts';
import { commitGalleryBatch } from './gallery-batch.ts';
import { ITEMS_FILE, readShardItems, shardItemsJson, type ShardSourceRef } from './image-shard.ts';
import { galleryItemId, galleryKeys, queryItemId, ShardKind } from './keys.ts';
import type { ImageTensor } from '../images/preprocess.ts';
import type { LoadedModelCard } from '../models/model-card.ts';
import { encodeStoredTensors, TENSORS_FILE } from './stored-tensors.ts';

export type StreamPart = 'gallery' | 'queries';

export interface StreamShardOptions {
  readonly galleryId: string;
  readonly fingerprint: string;
  readonly shardSize: number;
  /** The old model's embedding size. */
  readonly dim: number;
  /** Also write each gallery shard's new-model input tensors (`tensors.npy`, in this card's dtype and layout). */
  readonly tensorsOf?: LoadedModelCard;
}

/** One item dealt into a shard: read and embedded, or (in a shard an earlier run committed) only listed. */
export interface DealtItem {
  readonly sourceId: string;
  readonly label: number;
  readonly etag?: string;
  /** Absent for an item of a committed shard: it was not read again. */
  readonly ref?: ShardSourceRef;
  /** The old model's embedding (gallery items that were read). */
  readonly feature?: Float32Array;
  /** The new model's preprocessed input (gallery items read, when the ingest stores tensors). */
  readonly tensor?: ImageTensor;
}

/**
 * Deals a streamed gallery's items, in order, into gallery and query shards of `shardSize` and commits each shard
 * when full: `images/shard-N/items.json` (source references, no pixels) then `old/shard-N` (embeddings), or
 * `queries/shard-N/items.json`. A shard an interrupted run of the same ingest already committed is not rewritten or
 * re-embedded (`isCommitted` tells the caller to skip reading its items); instead its items are checked against what
 * this run's listing puts there, so a source that changed in between is refused naming the object, never mixed in.
 *
 * @example
 * const shards = await StreamShards.open(store, { galleryId: 'ph', fingerprint, shardSize: 1000, dim: 32 });
 */
export class StreamShards {
  readonly counts = { gallery: 0, queries: 0 };
  private readonly pending: Record<StreamPart, DealtItem[]> = { gallery: [], queries: [] };
  private readonly flushed = { gallery: 0, queries: 0 };

  private readonly store: Store;
  private readonly options: StreamShardOptions;
  private readonly committed: Record<StreamPart, Set<number>>;

  private constructor(store: Store, options: StreamShardOptions, committed: Record<StreamPart, Set<number>>) {
    this.store = store;
    this.options = options;
    this.committed = committed;
  }

  static async open(store: Store, options: StreamShardOptions): Promise<StreamShards> {
    const keys = galleryKeys(options.galleryId);
    return new StreamShards(store, options, {
      gallery: new Set(await listCommittedShards(store, keys.shards(ShardKind.old))),
      queries: new Set(await listCommittedShards(store, keys.shards(ShardKind.queries))),
    });
  }

  /** Takes the next position of `part`; true when it falls in a shard already committed (its item need not be read). */
  assign(part: StreamPart): boolean {
    return this.committed[part].has(Math.floor(this.counts[part]++ / this.options.shardSize));
  }

  /** Adds the next item of `part` (in the order `assign` was called); commits or checks the shard once full. */
  async add(part: StreamPart, item: DealtItem): Promise<void> {
    this.pending[part].push(item);
    if (this.pending[part].length === this.options.shardSize) await this.flush(part);
  }

  /** Commits the last, partial shards. */
  async finish(): Promise<void> {
    for (const part of ['gallery', 'queries'] as const) if (this.pending[part].length > 0) await this.flush(part);
  }

  private async flush(part: StreamPart): Promise<void> {
    const items = this.pending[part];
    this.pending[part] = [];
    const shard = this.flushed[part]++;
    const first = shard * this.options.shardSize;
    const ids = items.map((_, i) => (part === 'gallery' ? galleryItemId(first + i) : queryItemId(first + i)));
    const keys = galleryKeys(this.options.galleryId);
    const prefix = keys.shard(part === 'gallery' ? ShardKind.images : ShardKind.queries, shard);
    const { fingerprint: ingest } = this.options;
    const manifest = await readManifest(this.store, prefix);
    if (manifest) await this.checkCommitted(prefix, manifest, items);
    if (this.committed[part].has(shard)) return;
    const body = shardItemsJson({ ids, sourceIds: items.map((i) => i.sourceId), labels: items.map((i) => i.label), refs: items.map((i) => i.ref!) });
    const card = part === 'gallery' ? this.options.tensorsOf : undefined;
    const tensors = card ? [{ name: TENSORS_FILE, body: encodeStoredTensors(items.map((i) => i.tensor!), card) }] : [];
    await commitGalleryBatch(this.store, prefix, [{ name: ITEMS_FILE, body }, ...tensors], { ingest, items: ids.length, ...(card ? { tensors: 'new' } : {}) });
    if (part === 'queries') return;
    const { dim } = this.options;
    const data = new Float32Array(items.length * dim);
    items.forEach((item, i) => data.set(item.feature!, i * dim));
    await commitEmbeddingShard(this.store, keys.shard(ShardKind.old, shard), { features: createFeatureMatrix(data, dim), ids }, { ingest, model: 'old' });
  }

  /** A shard an earlier run committed must be this ingest's and hold the objects this listing puts there. */
  private async checkCommitted(prefix: string, manifest: Manifest, items: readonly DealtItem[]): Promise<void> {
    if (manifest.meta.ingest !== this.options.fingerprint) {
      throw new ConflictError(`${prefix} was committed by a different ingest (fingerprint ${String(manifest.meta.ingest)}, this one ${this.options.fingerprint}); use another gallery id, or delete that gallery's folder first`);
    }
    const committed = await readShardItems(this.store, prefix);
    const changed = (what: string) => new ConflictError(
      `the source changed since an interrupted ingest committed ${prefix}: ${what}; the gallery's shards would no longer match it. ` +
        'Restore the source, or ingest it under another --gallery id', { details: { shard: prefix } },
    );
    const length = Math.max(committed.sourceIds.length, items.length);
    for (let i = 0; i < length; i++) {
      const was = committed.sourceIds[i], now = items[i]?.sourceId;
      if (was !== now) throw changed(was === undefined ? `"${now}" is new` : now === undefined ? `"${was}" is gone` : `"${was}" was there, "${now}" is there now (an object was added or removed)`);
      const etag = committed.refs?.[i]?.etag;
      if (etag && items[i].etag && etag !== items[i].etag) throw changed(`"${now}" has a different ETag`);
    }
  }
}
