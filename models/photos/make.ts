import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { averagePrecision } from '../../core/backfill/eval/average-precision.ts';
import { createFeatureMatrix, featureRow, normalizeRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { preprocessImage } from '../../core/backfill/images/preprocess.ts';
import { parseModelCard, type ModelCard } from '../../core/backfill/models/model-card.ts';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import type { OnnxLayer } from '../../core/backfill/onnx/layers.ts';
import { fitReverseTransform } from '../../core/backfill/reverse-transform/fit-reverse-transform.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { createRng, type Rng } from '../../core/random.ts';
import { generatePhotos, PHOTO_CLASSES } from '../../test/fixtures/photo-set.ts';

// Makes the photo model pair: `node models/photos/make.ts`. A seeded random convolutional trunk per model, then a
// linear head fitted in closed form (ridge least squares onto seeded random unit class codes) on generated photos.
// Old: smaller trunk, 32×32 RGB input, 200 fitting photos. New: larger trunk, 48×48 BGR input, 1,600 photos.
const dir = path.dirname(fileURLToPath(import.meta.url));
const SEED = 2026;

interface Spec { role: 'old' | 'new'; size: number; shorter: number; order: 'RGB' | 'BGR'; mean: number[]; std: number[]; convs: number[]; kernels: number[]; dim: number; fitPhotos: number }
const SPECS: Spec[] = [
  { role: 'old', size: 32, shorter: 36, order: 'RGB', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], convs: [12, 24, 32], kernels: [5, 3, 3], dim: 32, fitPhotos: 200 },
  { role: 'new', size: 48, shorter: 56, order: 'BGR', mean: [0.406, 0.456, 0.485], std: [0.225, 0.224, 0.229], convs: [16, 32, 48, 64], kernels: [5, 3, 3, 3], dim: 48, fitPhotos: 1600 },
];

function trunk(spec: Spec, rng: Rng): OnnxLayer[] {
  const layers: OnnxLayer[] = [];
  let channels = 3;
  let side = spec.size;
  spec.convs.forEach((out, i) => {
    const k = spec.kernels[i];
    const fanIn = channels * k * k;
    const weights = Float32Array.from({ length: out * fanIn }, () => rng.normal() * Math.sqrt(2 / fanIn));
    layers.push({ type: 'conv2d', weights, bias: new Float32Array(out), inChannels: channels, outChannels: out, kernel: [k, k], pads: [k >> 1, k >> 1, k >> 1, k >> 1] });
    layers.push({ type: 'relu' });
    const last = i === spec.convs.length - 1;
    layers.push({ type: 'maxPool2d', kernel: last ? [side, side] : [2, 2], stride: last ? [side, side] : [2, 2] });
    side = last ? 1 : side / 2;
    channels = out;
  });
  layers.push({ type: 'flatten', order: 'nchw' });
  return layers;
}

function card(spec: Spec, description: string): ModelCard {
  return {
    version: 1, name: `reverie-photos-${spec.role}`, description, model: `${spec.role}.onnx`,
    input: { name: 'image', height: spec.size, width: spec.size, channelOrder: spec.order, resizeShorter: spec.shorter, layout: 'NCHW', dtype: 'float32', mean: spec.mean, std: spec.std },
    output: { name: 'embedding', dim: spec.dim, normalized: true },
  };
}

async function features(bytes: Uint8Array, spec: Spec, photos: { bytes: Buffer; sourceId: string }[], outName: string): Promise<FeatureMatrix> {
  const ort = loadOnnxRuntime();
  const session = await ort.InferenceSession.create(bytes);
  const loaded = parseModelCard(card(spec, ''), path.join(dir, `${spec.role}.card.json`));
  const size = 3 * spec.size * spec.size;
  const data = new Float32Array(photos.length * size);
  for (const [i, p] of photos.entries()) data.set(await preprocessImage(p.bytes, loaded, p.sourceId) as Float32Array, i * size);
  const out = await session.run({ image: new ort.Tensor('float32', data, [photos.length, 3, spec.size, spec.size]) });
  await session.release();
  const t = out[outName];
  return createFeatureMatrix(Float32Array.from(t.data as Float32Array), t.dims[1] as number);
}

async function collect(count: number, seed: number) {
  const photos: { bytes: Buffer; sourceId: string; label: number }[] = [];
  for await (const p of generatePhotos({ count, seed })) photos.push({ bytes: p.bytes, sourceId: p.sourceId, label: PHOTO_CLASSES.indexOf(p.label) });
  return photos;
}

function meanAp(f: FeatureMatrix, labels: Uint8Array): number {
  let sum = 0;
  for (let q = 0; q < f.rows; q++) {
    const scores = new Float32Array(f.rows);
    const row = featureRow(f, q);
    for (let i = 0; i < f.rows; i++) {
      if (i === q) { scores[i] = -Infinity; continue; }
      const other = featureRow(f, i);
      let s = 0;
      for (let j = 0; j < f.dim; j++) s += row[j] * other[j];
      scores[i] = s;
    }
    const masked = Uint8Array.from(labels, (l, i) => (i === q ? 255 : l));
    sum += averagePrecision(scores, masked, labels[q]).averagePrecision;
  }
  return sum / f.rows;
}

const fitSet = await collect(1600, SEED);
const heldOut = await collect(400, SEED + 1);
const heldLabels = Uint8Array.from(heldOut, (p) => p.label);
const rng = createRng(SEED);
for (const spec of SPECS) {
  const r = rng.fork(spec.role);
  const layers = trunk(spec, r.fork('trunk'));
  const trunkBytes = exportSequentialOnnx({ input: { name: 'image', shape: [3, spec.size, spec.size] }, outputName: 'features', layers });
  const fit = fitSet.slice(0, spec.fitPhotos);
  const x = await features(trunkBytes, spec, fit, 'features');
  const codeRng = r.fork('codes');
  const codes = normalizeRows(createFeatureMatrix(Float32Array.from({ length: PHOTO_CLASSES.length * spec.dim }, () => codeRng.normal()), spec.dim));
  const y = createFeatureMatrix(new Float32Array(fit.length * spec.dim), spec.dim);
  fit.forEach((p, i) => y.data.set(featureRow(codes, p.label), i * spec.dim));
  const head = fitReverseTransform(x, y, { method: 'least-squares', ridge: 1e-2 });
  const model = exportSequentialOnnx({
    input: { name: 'image', shape: [3, spec.size, spec.size] }, outputName: 'embedding',
    layers: [...layers, { type: 'dense', weights: head.weights, bias: head.bias, inDim: head.inDim, outDim: head.outDim }, { type: 'l2Normalize', epsilon: 1e-12 }],
    description: `Reverie photos ${spec.role} embedding model`, metadata: { dataset: 'generated-photos', role: spec.role },
  });
  await writeFile(path.join(dir, `${spec.role}.onnx`), model);
  const mAP = meanAp(await features(model, spec, heldOut, 'embedding'), heldLabels);
  const description =
    `Made by models/photos/make.ts (seed ${SEED}): a seeded random (He-normal) convolutional trunk ${spec.convs.join('-')} channels ` +
    `(kernels ${spec.kernels.join(', ')}, ReLU, 2x2 max-pools, global max-pool), then a linear ${head.inDim} -> ${spec.dim} head fitted in closed form ` +
    `(ridge least squares onto random unit class codes) on ${spec.fitPhotos} generated photos of ${PHOTO_CLASSES.length} classes (${PHOTO_CLASSES.join(', ')}), ` +
    `then L2 normalisation. Not trained by gradient descent. Measured mAP (leave-one-out retrieval, same class relevant) on 400 held-out generated photos: ${mAP.toFixed(4)}.`;
  await writeFile(path.join(dir, `${spec.role}.card.json`), `${JSON.stringify(card(spec, description), null, 2)}\n`);
  console.log(`${spec.role}: ${model.byteLength} bytes, dim ${spec.dim}, held-out mAP ${mAP.toFixed(4)}`);
}
