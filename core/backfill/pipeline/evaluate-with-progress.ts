import { loadBuiltinDataset, type BuiltinDatasetName } from '../datasets/builtin.ts';
import { subsetImages } from '../datasets/image-set.ts';
import { splitImageSet } from '../datasets/split.ts';
import { OnnxEmbedder } from '../embedder.ts';
import { backfillOrder, DEFAULT_FRACTIONS } from '../eval/backfill-order.ts';
import { summarizeCurve, type CurvePoint } from '../eval/curve-summary.ts';
import { evaluateBackfill, type BackfillEvaluation, type ModeEvaluation } from '../eval/evaluate-backfill.ts';
import { builtinModelFiles, type BuiltinReport } from '../eval/evaluate-builtin.ts';
import { onlinePsiQueries } from '../eval/online-psi.ts';
import { selectRows, type FeatureMatrix } from '../features.ts';
import type { ReverseTransformMethod } from '../reverse-transform/fit-reverse-transform.ts';
import { OnnxTransform } from '../reverse-transform/onnx-transform.ts';

export interface EvaluateWithProgressOptions {
  readonly seed?: number;
  readonly maxQueries?: number;
  readonly onlinePsi?: readonly ReverseTransformMethod[];
  /** Queries per progress step. Default 100. */
  readonly chunkQueries?: number;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

/**
 * `evaluateBuiltinBackfill` (same split, models, seeded order and numbers) with progress: the queries are evaluated
 * in chunks and the per-chunk means recombined weighted by query count, so a 17-second evaluation reports as it goes.
 *
 * @example
 * const report = await evaluateBuiltinWithProgress('fashion-mnist', { onProgress: (d, t) => bar.update(d, t) });
 * report.modes['rt-merge'].relativeGain;
 */
export async function evaluateBuiltinWithProgress(dataset: BuiltinDatasetName, options: EvaluateWithProgressOptions = {}): Promise<BuiltinReport> {
  const started = performance.now();
  options.onProgress?.(0, 1, `loading ${dataset}`);
  const images = await loadBuiltinDataset(dataset);
  const split = splitImageSet(images);
  const galleryImages = subsetImages(images, split.gallery);
  const queryImages = subsetImages(images, evenlySpaced(split.query, options.maxQueries ?? split.query.length));
  options.onProgress?.(0, 1, 'embedding gallery and queries');
  const files = builtinModelFiles(dataset);
  const [galleryOld, queryOld] = await embedBoth(files.old, galleryImages, queryImages);
  const [galleryNew, queryNew] = await embedBoth(files.new, galleryImages, queryImages);
  const transform = await OnnxTransform.load(files.psi);
  const psi = await transform.apply(queryNew);
  await transform.release();
  const embedded = performance.now();
  const gallery = { old: galleryOld, new: galleryNew, labels: galleryImages.labels };
  const order = backfillOrder(galleryImages.ids.length, options.seed ?? 1);
  const fractions = DEFAULT_FRACTIONS;
  options.onProgress?.(0, 1, 'fitting online ψ');
  const perFraction = Object.fromEntries((options.onlinePsi ?? []).map((method) =>
    [`rt-merge/online-${method}`, onlinePsiQueries(gallery, { old: queryOld, new: queryNew }, order, fractions, method)]));
  const chunk = options.chunkQueries ?? 100;
  const parts: BackfillEvaluation[] = [];
  for (let start = 0; start < queryImages.ids.length; start += chunk) {
    const rows = Array.from({ length: Math.min(chunk, queryImages.ids.length - start) }, (_, i) => start + i);
    const queries = { old: selectRows(queryOld, rows), new: selectRows(queryNew, rows), labels: queryImages.labels.subarray(start, start + rows.length) };
    const psiPerFraction = Object.fromEntries(Object.entries(perFraction).map(([name, ms]) => [name, ms.map((m) => selectRows(m, rows))]));
    parts.push(evaluateBackfill({ gallery, queries, psi: selectRows(psi, rows), psiPerFraction, fractions, order }));
    options.onProgress?.(start + rows.length, queryImages.ids.length, 'evaluating queries');
  }
  return { dataset, ...combine(parts), timingsMs: { embed: embedded - started, evaluate: performance.now() - embedded } };
}

/** Query-weighted means of chunk evaluations (curves and per-query flip shares), summarised again (AUC, relative gain, curve-level flips). */
function combine(parts: readonly BackfillEvaluation[]): BackfillEvaluation {
  const total = parts.reduce((n, p) => n + p.queryCount, 0);
  const mean = (pick: (p: BackfillEvaluation) => number) => parts.reduce((s, p) => s + pick(p) * p.queryCount, 0) / total;
  const mAP = { old: mean((p) => p.mAP.old), new: mean((p) => p.mAP.new) };
  const modes: Record<string, ModeEvaluation> = {};
  for (const name of Object.keys(parts[0].modes)) {
    const curve: CurvePoint[] = parts[0].modes[name].curve.map(([fraction], i) =>
      [fraction, mean((p) => p.modes[name].curve[i][1]), mean((p) => p.modes[name].curve[i][2])]);
    const rate = (kind: 'top1' | 'ap') => parts[0].modes[name].queryFlipRate[kind].map(([fraction], i) =>
      [fraction, mean((p) => p.modes[name].queryFlipRate[kind][i][1])] as const);
    modes[name] = { ...summarizeCurve(curve, mAP.old, mAP.new), queryFlipRate: { top1: rate('top1'), ap: rate('ap') } };
  }
  return { mAP, top1: { old: mean((p) => p.top1.old), new: mean((p) => p.top1.new) }, modes, queryCount: total, gallerySize: parts[0].gallerySize };
}

async function embedBoth(file: string, a: Parameters<OnnxEmbedder['embedImages']>[0], b: typeof a): Promise<[FeatureMatrix, FeatureMatrix]> {
  const embedder = await OnnxEmbedder.load(file);
  try {
    return [await embedder.embedImages(a), await embedder.embedImages(b)];
  } finally {
    await embedder.release();
  }
}

function evenlySpaced(indices: Uint32Array, count: number): Uint32Array {
  if (count >= indices.length) return indices;
  return Uint32Array.from({ length: Math.max(0, count) }, (_, i) => indices[Math.floor((i * indices.length) / count)]);
}
