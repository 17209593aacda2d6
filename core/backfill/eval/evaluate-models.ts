import { subsetImages, type ImageSet } from '../datasets/image-set.ts';
import type { ImageSplit } from '../datasets/split.ts';
import { OnnxEmbedder } from '../embedder.ts';
import type { FeatureMatrix } from '../features.ts';
import type { ReverseTransformMethod } from '../reverse-transform/fit-reverse-transform.ts';
import { OnnxTransform } from '../reverse-transform/onnx-transform.ts';
import { backfillOrder, DEFAULT_FRACTIONS } from './backfill-order.ts';
import { evaluateBackfill, type BackfillEvaluation } from './evaluate-backfill.ts';
import { onlinePsiQueries } from './online-psi.ts';

export interface BackfillModelFiles {
  readonly old: string | Uint8Array;
  readonly new: string | Uint8Array;
  /** A trained ψ (new → old) in ONNX; adds the `rt-merge` curve. */
  readonly psi?: string | Uint8Array;
}

export interface EvaluateModelsOptions {
  readonly images: ImageSet;
  readonly split: ImageSplit;
  readonly models: BackfillModelFiles;
  /** Seed of the random backfill order. Default 1. */
  readonly seed?: number;
  readonly fractions?: readonly number[];
  /** Also evaluate ψ refitted online with these closed-form methods (`rt-merge/online-<method>` curves). */
  readonly onlinePsi?: readonly ReverseTransformMethod[];
  /** Use only `maxQueries` query images, evenly spaced over the split's queries (which are sorted, so grouped by class in some datasets). */
  readonly maxQueries?: number;
  readonly intraOpNumThreads?: number;
}

export interface BackfillReport extends BackfillEvaluation {
  readonly timingsMs: { readonly embed: number; readonly evaluate: number };
}

/**
 * Embeds a split's gallery and queries with an old and a new ONNX model (and ψ), then runs `evaluateBackfill`:
 * the whole paper-style evaluation for any pair of models and any labelled image set.
 *
 * @example
 * const report = await evaluateBackfillModels({ images, split, models: { old: 'old.onnx', new: 'new.onnx', psi: 'psi.onnx' } });
 * report.modes['rt-merge'].relativeGain;
 */
export async function evaluateBackfillModels(options: EvaluateModelsOptions): Promise<BackfillReport> {
  const { images, split, models } = options;
  const started = performance.now();
  const session = { intraOpNumThreads: options.intraOpNumThreads };
  const galleryImages = subsetImages(images, split.gallery);
  const queryImages = subsetImages(images, evenlySpaced(split.query, options.maxQueries ?? split.query.length));
  const embedBoth = async (model: string | Uint8Array): Promise<[FeatureMatrix, FeatureMatrix]> => {
    const embedder = await OnnxEmbedder.load(model, session);
    try {
      return [await embedder.embedImages(galleryImages), await embedder.embedImages(queryImages)];
    } finally {
      await embedder.release();
    }
  };
  const [galleryOld, queryOld] = await embedBoth(models.old);
  const [galleryNew, queryNew] = await embedBoth(models.new);
  let psi: FeatureMatrix | undefined;
  if (models.psi) {
    const transform = await OnnxTransform.load(models.psi, session);
    psi = await transform.apply(queryNew);
    await transform.release();
  }
  const embedded = performance.now();
  const gallery = { old: galleryOld, new: galleryNew, labels: galleryImages.labels };
  const queries = { old: queryOld, new: queryNew, labels: queryImages.labels };
  const fractions = options.fractions ?? DEFAULT_FRACTIONS;
  const order = backfillOrder(galleryImages.ids.length, options.seed ?? 1);
  const psiPerFraction = Object.fromEntries((options.onlinePsi ?? []).map((method) =>
    [`rt-merge/online-${method}`, onlinePsiQueries(gallery, queries, order, fractions, method)]));
  const result = evaluateBackfill({ gallery, queries, psi, psiPerFraction, fractions, order });
  return { ...result, timingsMs: { embed: embedded - started, evaluate: performance.now() - embedded } };
}

function evenlySpaced(indices: Uint32Array, count: number): Uint32Array {
  if (count >= indices.length) return indices;
  return Uint32Array.from({ length: Math.max(0, count) }, (_, i) => indices[Math.floor((i * indices.length) / count)]);
}
