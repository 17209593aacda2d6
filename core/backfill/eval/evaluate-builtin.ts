import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinDataset, type BuiltinDatasetName } from '../datasets/builtin.ts';
import { splitImageSet, type SplitOptions } from '../datasets/split.ts';
import { evaluateBackfillModels, type BackfillReport, type EvaluateModelsOptions } from './evaluate-models.ts';

/** Where the committed models live: `models/<dataset>/{old,new,psi}.onnx` at the repository root. */
export const BUILTIN_MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

/** The committed model files of a built-in dataset. */
export function builtinModelFiles(dataset: BuiltinDatasetName, modelsDir = BUILTIN_MODELS_DIR) {
  const dir = path.join(modelsDir, dataset);
  return { old: path.join(dir, 'old.onnx'), new: path.join(dir, 'new.onnx'), psi: path.join(dir, 'psi.onnx') } as const;
}

export interface BuiltinReport extends BackfillReport {
  readonly dataset: BuiltinDatasetName;
}

/**
 * The evaluation behind `reverie backfill eval --dataset <name>`: the built-in dataset, its default split (the one
 * the committed models were trained on; see `splitImageSet`) and its committed old/new/ψ models.
 *
 * @example
 * const report = await evaluateBuiltinBackfill('fashion-mnist', { onlinePsi: ['procrustes'] });
 * console.log(report.mAP, report.modes['rt-merge'].relativeGain);
 */
export async function evaluateBuiltinBackfill(
  dataset: BuiltinDatasetName,
  options: Omit<EvaluateModelsOptions, 'images' | 'split' | 'models'> & { split?: SplitOptions; modelsDir?: string } = {},
): Promise<BuiltinReport> {
  const images = await loadBuiltinDataset(dataset);
  const split = splitImageSet(images, options.split);
  const report = await evaluateBackfillModels({ ...options, images, split, models: builtinModelFiles(dataset, options.modelsDir) });
  return { dataset, ...report };
}
