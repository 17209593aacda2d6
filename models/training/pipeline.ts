import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadBuiltinDataset, type BuiltinDatasetName } from '../../core/backfill/datasets/builtin.ts';
import { DEFAULT_SPLIT, splitImageSet } from '../../core/backfill/datasets/split.ts';
import { subsetImages, imagesToNchw } from '../../core/backfill/datasets/image-set.ts';
import { evaluateBackfillModels, type BackfillReport } from '../../core/backfill/eval/evaluate-models.ts';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import { openSingleIoSession, runBatched } from '../../core/backfill/onnx/session.ts';
import { createRng } from '../../core/random.ts';
import { imagesToTensor } from './batches.ts';
import { TRAINING_CONFIG } from './config.ts';
import { mlpToOnnxLayers, type Mlp } from './dense.ts';
import { embedWithTf } from './embed.ts';
import { trainNewModel } from './train-new.ts';
import { trainOldModel } from './train-old.ts';

export interface TrainedDataset {
  readonly dataset: BuiltinDatasetName;
  readonly trainSize: number;
  readonly oldTrainSize: number;
  readonly seconds: { readonly old: number; readonly new: number; readonly total: number };
  readonly files: Readonly<Record<'old' | 'new' | 'psi', { readonly bytes: number; readonly parameters: number; readonly maxAbsDiffVsTfjs: number }>>;
  readonly losses: readonly string[];
  readonly report: BackfillReport;
}

/** Trains, exports, checks and evaluates the old model, the new model and ψ for one dataset into `outDir/<dataset>/`. */
export async function trainDataset(dataset: BuiltinDatasetName, outDir: string, log: (line: string) => void): Promise<TrainedDataset> {
  const started = performance.now();
  const config = TRAINING_CONFIG;
  const losses: string[] = [];
  const logLoss = (line: string) => { losses.push(line); log(`${dataset}: ${line}`); };
  const images = await loadBuiltinDataset(dataset);
  const split = splitImageSet(images, DEFAULT_SPLIT);
  const rng = createRng(config.seed).fork(dataset);
  const trainOrder = Uint32Array.from(rng.fork('train-order').shuffle(Array.from(split.train)));
  const labelsOf = (idx: Uint32Array) => tf.tensor1d(Int32Array.from(idx, (i) => images.labels[i]), 'int32');

  const oldIdx = trainOrder.subarray(0, config.oldTrainImages);
  const xOld = imagesToTensor(images, oldIdx);
  const yOld = labelsOf(oldIdx);
  const old = trainOldModel(xOld, yOld, 10, config.old, rng.fork('old'), logLoss);
  tf.dispose([xOld, yOld]);
  const oldDone = performance.now();

  const x = imagesToTensor(images, trainOrder);
  const y = labelsOf(trainOrder);
  const oldFeatures = embedWithTf(old, x);
  const oldTensor = tf.tensor2d(oldFeatures.data, [oldFeatures.rows, oldFeatures.dim]);
  const { backbone, psi } = trainNewModel(x, y, oldTensor, config.new, rng.fork('new'), logLoss);
  tf.dispose([x, y, oldTensor]);
  const newDone = performance.now();

  const dir = path.join(outDir, dataset);
  await mkdir(dir, { recursive: true });
  const imageShape = [images.channels, images.height, images.width];
  const models = {
    old: exportSequentialOnnx({ input: { name: 'image', shape: imageShape }, outputName: 'embedding', layers: mlpToOnnxLayers(old, true), description: `Reverie ${dataset} old embedding model`, metadata: { dataset, role: 'old' } }),
    new: exportSequentialOnnx({ input: { name: 'image', shape: imageShape }, outputName: 'embedding', layers: mlpToOnnxLayers(backbone, true), description: `Reverie ${dataset} new embedding model (metric-compatible with old)`, metadata: { dataset, role: 'new' } }),
    psi: exportSequentialOnnx({ input: { name: 'features', shape: [config.new.dims.at(-1)!] }, outputName: 'embedding', layers: mlpToOnnxLayers(psi, false), description: `Reverie ${dataset} reverse transformation psi (new -> old)`, metadata: { dataset, role: 'psi' } }),
  };
  for (const [name, bytes] of Object.entries(models)) await writeFile(path.join(dir, `${name}.onnx`), bytes);

  const parity = await checkParity(images, split.query, { old, new: backbone, psi }, models);
  log(`${dataset}: ONNX vs tfjs max abs diff ${JSON.stringify(parity)}`);
  const report = await evaluateBackfillModels({ images, split, models, seed: config.evalSeed });
  const params = (m: Mlp) => m.layers.reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0);
  const files = {
    old: { bytes: models.old.byteLength, parameters: params(old), maxAbsDiffVsTfjs: parity.old },
    new: { bytes: models.new.byteLength, parameters: params(backbone), maxAbsDiffVsTfjs: parity.new },
    psi: { bytes: models.psi.byteLength, parameters: params(psi), maxAbsDiffVsTfjs: parity.psi },
  };
  for (const m of [old, backbone, psi]) for (const l of m.layers) tf.dispose([l.w, l.b]);
  const end = performance.now();
  return {
    dataset, trainSize: split.train.length, oldTrainSize: oldIdx.length, losses, report, files,
    seconds: { old: (oldDone - started) / 1000, new: (newDone - oldDone) / 1000, total: (end - started) / 1000 },
  };
}

/** Max |ONNX − tfjs| over the query images, for each exported model. */
async function checkParity(
  images: Awaited<ReturnType<typeof loadBuiltinDataset>>,
  indices: Uint32Array,
  mlps: Record<'old' | 'new' | 'psi', Mlp>,
  models: Record<'old' | 'new' | 'psi', Uint8Array>,
): Promise<Record<'old' | 'new' | 'psi', number>> {
  const subset = subsetImages(images, indices);
  const x = imagesToTensor(subset, Uint32Array.from(subset.ids.keys()));
  const nchw = imagesToNchw(subset);
  const diff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  const run = async (bytes: Uint8Array, data: Float32Array, shape: number[], outDim: number) => {
    const io = await openSingleIoSession(bytes);
    const size = shape.reduce((a, b) => a * b, 1);
    const out = await runBatched(io, data.length / size, shape, outDim, 512, (s, e) => data.subarray(s * size, e * size));
    await io.session.release();
    return out;
  };
  const tfOld = embedWithTf(mlps.old, x), tfNew = embedWithTf(mlps.new, x);
  const newTensor = tf.tensor2d(tfNew.data, [tfNew.rows, tfNew.dim]);
  const tfPsi = embedWithTf(mlps.psi, newTensor);
  const shape = [images.channels, images.height, images.width];
  const result = {
    old: diff(await run(models.old, nchw, shape, tfOld.dim), tfOld.data),
    new: diff(await run(models.new, nchw, shape, tfNew.dim), tfNew.data),
    psi: diff(await run(models.psi, tfNew.data, [tfNew.dim], tfPsi.dim), tfPsi.data),
  };
  tf.dispose([x, newTensor]);
  return result;
}
