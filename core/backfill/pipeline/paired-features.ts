import { InvalidInputError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { createFeatureMatrix, selectRows, type FeatureMatrix } from '../features.ts';
import { readAddedFeatures } from '../gallery/changes/added-batch.ts';
import type { AddEntry } from '../gallery/changes/change-log.ts';
import { readEmbeddingShard } from '../gallery/embedding-shard.ts';
import type { GalleryRecord } from '../gallery/gallery-record.ts';
import { galleryKeys, ShardKind, shardRange } from '../gallery/keys.ts';

/**
 * The old and new features of the items in `shards`, and of the items of `adds` (added while the old space served, so
 * embedded with both models), row-aligned (row i of each is the same item): the training pairs of the online ψ. With
 * more than `maxPairs` items, a sample of them (evenly chosen shards, then evenly spaced rows over shards and adds),
 * so a refit stays bounded. Items marked in `deleted` (see the gallery's change log) are left out. `added` says how
 * many of the rows came from adds.
 *
 * @example
 * const pairs = await readPairedFeatures(store, record, [0, 1, 2], 20_000);
 * fitReverseTransform(pairs.new, pairs.old);
 */
export async function readPairedFeatures(
  store: Store,
  record: GalleryRecord,
  shards: readonly number[],
  maxPairs: number,
  deleted?: Uint8Array,
  adds: readonly AddEntry[] = [],
): Promise<{ new: FeatureMatrix; old: FeatureMatrix; added: number }> {
  const keys = galleryKeys(record.id);
  // Items were dealt into shards in random order, so evenly chosen shards are a random sample: reading only as many
  // shards as `maxPairs` needs keeps a refit's cost flat however far the backfill has gone.
  const needed = Math.min(shards.length, Math.ceil(maxPairs / record.shardSize));
  const chosen = Array.from({ length: needed }, (_, i) => shards[Math.floor((i * shards.length) / needed)]);
  const parts = await Promise.all(chosen.map(async (shard) => {
    const { start, end } = shardRange(shard, record.shardSize, record.items);
    const [n, o] = await Promise.all([
      readEmbeddingShard(store, keys.shard(ShardKind.new, shard), { rows: end - start, dim: record.models.new.dim, model: 'new' }),
      readEmbeddingShard(store, keys.shard(ShardKind.old, shard), { rows: end - start, dim: record.models.old.dim, model: 'old' }),
    ]);
    if (n.ids.some((id, i) => id !== o.ids[i])) throw new InvalidInputError(`shard ${shard} of gallery "${record.id}": new and old embeddings list different items`);
    const live = Array.from({ length: end - start }, (_, r) => r).filter((r) => !deleted?.[start + r]);
    if (live.length === end - start) return { new: n.features, old: o.features };
    return { new: selectRows(n.features, live), old: selectRows(o.features, live) };
  }));
  const fromShards = parts.reduce((sum, p) => sum + p.new.rows, 0);
  const addParts = (await Promise.all(adds.map((add) => readAddedPairs(store, record, add, deleted)))).filter((p) => p !== undefined);
  const all = [...parts, ...addParts];
  const total = all.reduce((sum, p) => sum + p.new.rows, 0);
  const keep = Math.min(total, maxPairs);
  // Rows floor(i·total/keep) are kept, so the added rows kept are those at or past the first added row.
  const firstAddedKept = fromShards === total ? keep : Math.ceil((fromShards * keep) / total);
  return { new: gather(all.map((p) => p.new), total, keep), old: gather(all.map((p) => p.old), total, keep), added: keep - Math.min(keep, firstAddedKept) };
}

/** Both spaces' features of an add's live items, or undefined when it has no old-model features (added later). */
async function readAddedPairs(store: Store, record: GalleryRecord, add: AddEntry, deleted?: Uint8Array): Promise<{ new: FeatureMatrix; old: FeatureMatrix } | undefined> {
  const [n, o] = await Promise.all([readAddedFeatures(store, record, add, 'new'), readAddedFeatures(store, record, add, 'old')]);
  if (!n || !o) return undefined;
  const live = Array.from({ length: add.count }, (_, r) => r).filter((r) => !deleted?.[add.firstIndex + r]);
  if (live.length === 0) return undefined;
  if (live.length === add.count) return { new: n, old: o };
  return { new: selectRows(n, live), old: selectRows(o, live) };
}

/** Rows floor(i·total/keep) for i < keep, of the matrices stacked. */
function gather(matrices: readonly FeatureMatrix[], total: number, keep: number): FeatureMatrix {
  const dim = matrices[0]?.dim ?? 1;
  const out = new Float32Array(keep * dim);
  let m = 0, offset = 0;
  for (let i = 0; i < keep; i++) {
    const row = Math.floor((i * total) / keep);
    while (row >= offset + matrices[m].rows) offset += matrices[m++].rows;
    out.set(matrices[m].data.subarray((row - offset) * dim, (row - offset + 1) * dim), i * dim);
  }
  return createFeatureMatrix(out, dim);
}
