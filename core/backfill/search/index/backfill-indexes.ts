import { InvalidInputError } from '../../../errors.ts';
import type { FeatureMatrix } from '../../features.ts';
import type { VectorIndex, VectorIndexFactory } from './vector-index.ts';

/**
 * A gallery mid-backfill as three indexes, so that a wave costs its own size: `oldRemaining` holds the old features
 * of the items not yet backfilled, `oldBackfilled` the old features of the backfilled ones (only the `old` mode
 * searches them, with `oldRemaining`), `new` their new features. Together they hold each old vector once and each
 * new vector once.
 */
export interface BackfillIndexes {
  readonly oldRemaining: VectorIndex;
  readonly oldBackfilled: VectorIndex;
  readonly new: VectorIndex;
}

export const BACKFILL_INDEX_PARTS = ['oldRemaining', 'oldBackfilled', 'new'] as const;
export type BackfillIndexPart = (typeof BACKFILL_INDEX_PARTS)[number];

const PART_SUFFIX: Record<BackfillIndexPart, string> = { oldRemaining: 'old-remaining', oldBackfilled: 'old-backfilled', new: 'new' };

/** The name of one part's index, e.g. `shoes-old-remaining` (the S3 Vectors index name). */
export function partIndexName(name: string, part: BackfillIndexPart): string {
  return `${name}-${PART_SUFFIX[part]}`;
}

/**
 * The indexes of a gallery whose old features have dimension `oldDim` and new ones `newDim`: empty, or, with
 * `stored`, loaded from each part's serialized bytes (undefined for kinds whose indexes live in a service).
 */
export async function openBackfillIndexes(
  factory: VectorIndexFactory, name: string, oldDim: number, newDim: number, stored?: Record<BackfillIndexPart, Uint8Array | undefined>,
): Promise<BackfillIndexes> {
  const dims: Record<BackfillIndexPart, number> = { oldRemaining: oldDim, oldBackfilled: oldDim, new: newDim };
  const [oldRemaining, oldBackfilled, newIndex] = await Promise.all(BACKFILL_INDEX_PARTS.map((p) =>
    stored ? factory.load(partIndexName(name, p), dims[p], stored[p]) : factory.create(partIndexName(name, p), dims[p])));
  return { oldRemaining, oldBackfilled, new: newIndex };
}

/** Empty indexes (see `openBackfillIndexes`). */
export function createBackfillIndexes(factory: VectorIndexFactory, name: string, oldDim: number, newDim: number): Promise<BackfillIndexes> {
  return openBackfillIndexes(factory, name, oldDim, newDim);
}

/** Items entering the gallery before they are backfilled: old features only. */
export async function addOldItems(indexes: BackfillIndexes, ids: Int32Array, old: FeatureMatrix): Promise<void> {
  await indexes.oldRemaining.add(ids, old);
}

/**
 * One committed wave (a shard): its items' new features join `new`, their old features move from `oldRemaining` to
 * `oldBackfilled`. Idempotent: re-applying a wave leaves the same state.
 */
export async function applyBackfillWave(indexes: BackfillIndexes, ids: Int32Array, old: FeatureMatrix, features: FeatureMatrix): Promise<void> {
  if (ids.length !== old.rows || ids.length !== features.rows) {
    throw new InvalidInputError(`a wave of ${ids.length} items needs as many old (${old.rows}) and new (${features.rows}) feature rows`);
  }
  await indexes.new.add(ids, features);
  await indexes.oldBackfilled.add(ids, old);
  await indexes.oldRemaining.remove(ids);
}

/** Items deleted from the gallery leave every index. */
export async function removeItems(indexes: BackfillIndexes, ids: Int32Array): Promise<void> {
  await Promise.all([indexes.oldRemaining.remove(ids), indexes.oldBackfilled.remove(ids), indexes.new.remove(ids)]);
}
