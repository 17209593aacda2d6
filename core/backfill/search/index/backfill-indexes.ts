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

/** Empty indexes for a gallery whose old features have dimension `oldDim` and new ones `newDim`. */
export async function createBackfillIndexes(factory: VectorIndexFactory, name: string, oldDim: number, newDim: number): Promise<BackfillIndexes> {
  const [oldRemaining, oldBackfilled, newIndex] = await Promise.all([
    factory.create(`${name}-old-remaining`, oldDim),
    factory.create(`${name}-old-backfilled`, oldDim),
    factory.create(`${name}-new`, newDim),
  ]);
  return { oldRemaining, oldBackfilled, new: newIndex };
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
