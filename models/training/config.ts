import type { NewModelConfig } from './train-new.ts';
import type { OldModelConfig } from './train-old.ts';

/**
 * Everything that decides the committed models. Changing a value changes the models: retrain with
 * `node models/train.ts` and commit the ONNX files and cards together.
 */
export const TRAINING_CONFIG = {
  seed: 2023,
  /** The old model sees a random 10,000-image subset of the train split: a smaller first model on less data. */
  oldTrainImages: 10_000,
  old: { dims: [784, 128, 64], epochs: 3, batchSize: 128, learningRate: 1e-3 } satisfies OldModelConfig,
  new: {
    dims: [784, 256, 128, 64],
    psiDims: [64, 128, 64],
    epochs: 4,
    psiEpochs: 1,
    batchSize: 256,
    learningRate: 1e-3,
    temperature: 0.1,
    alignWeight: 1,
  } satisfies NewModelConfig,
  /** Seed of the random backfill order in the evaluation the cards report. */
  evalSeed: 1,
} as const;
