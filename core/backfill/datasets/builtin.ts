import { InvalidInputError } from '../../errors.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import type { ImageSet } from './image-set.ts';
import { loadMnist } from './mnist.ts';

/** The datasets Reverie ships loaders and trained models for, by name. */
export const BUILTIN_DATASETS = {
  'fashion-mnist': loadFashionMnist,
  mnist: loadMnist,
} as const;
export type BuiltinDatasetName = keyof typeof BUILTIN_DATASETS;

/** True when `name` names a built-in dataset. */
export function isBuiltinDataset(name: string): name is BuiltinDatasetName {
  return Object.hasOwn(BUILTIN_DATASETS, name);
}

/**
 * Loads a built-in dataset by name.
 *
 * @example
 * const set = await loadBuiltinDataset('mnist');
 */
export async function loadBuiltinDataset(name: string): Promise<ImageSet> {
  if (!isBuiltinDataset(name)) {
    throw new InvalidInputError(`unknown dataset "${name}"; built-in datasets are ${Object.keys(BUILTIN_DATASETS).join(', ')}`);
  }
  return BUILTIN_DATASETS[name]();
}
