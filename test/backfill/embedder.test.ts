import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import path from 'node:path';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { imagesToNchw, subsetImages, type ImageSet } from '../../core/backfill/datasets/image-set.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import { withUint8Input } from '../../core/backfill/onnx/uint8-input.ts';
import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { createRng } from '../../core/random.ts';
import { randomFeatures } from './synthetic.ts';

const { onnx } = onnxProto;

const rng = createRng(12);
const weights = Float32Array.from({ length: 16 * 5 }, () => rng.normal());
// A 1×4×4 → 5 linear embedder (no normalisation inside, so the embedder's own normalisation is visible).
const model = exportSequentialOnnx({
  input: { name: 'image', shape: [1, 4, 4] },
  outputName: 'embedding',
  layers: [{ type: 'flatten', order: 'nchw' }, { type: 'dense', weights, inDim: 16, outDim: 5 }],
});

function images(count: number, side = 4, channels = 1): ImageSet {
  return {
    ids: Array.from({ length: count }, (_, i) => `img${i}`),
    labels: new Int32Array(count),
    pixels: Uint8Array.from({ length: count * side * side * channels }, () => rng.int(256)),
    height: side,
    width: side,
    channels,
  };
}

describe('OnnxEmbedder', () => {
  it('reads the image shape and output dimension from the model', async () => {
    const embedder = await OnnxEmbedder.load(model);
    expect([embedder.channels, embedder.height, embedder.width, embedder.outputDim]).toEqual([1, 4, 4, 5]);
    await embedder.release();
  });

  it('gives the same features whatever the batch size and thread count', async () => {
    // Prepare
    const set = images(50);
    const one = await OnnxEmbedder.load(model, { batchSize: 64, intraOpNumThreads: 1 });
    const small = await OnnxEmbedder.load(model, { batchSize: 7, intraOpNumThreads: 2 });
    // Act
    const a = await one.embedImages(set);
    const b = await small.embedImages(set);
    // Assess
    expect(a.rows).toBe(50);
    expect(Math.max(...a.data.map((v, i) => Math.abs(v - b.data[i])))).toBeLessThan(1e-6);
    await Promise.all([one.release(), small.release()]);
  });

  it('reuses its batch input buffers without mixing calls: concurrent and repeated calls give bit for bit the features of fresh input', async () => {
    const embedder = await OnnxEmbedder.load(model, { batchSize: 8, intraOpNumThreads: 1 });
    const sets = [images(50), images(21), images(8), images(3)];
    const fresh = await Promise.all(sets.map(async (set) => (await embedder.embedNchw(imagesToNchw(set), set.ids.length)).data));
    // Four calls at once (shards run at once share an embedder) and then again, one after another.
    const concurrent = await Promise.all(sets.map(async (set) => (await embedder.embedImages(set)).data));
    const repeated: Float32Array[] = [];
    for (const set of sets) repeated.push((await embedder.embedImages(set, 1)).data);
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    expect(concurrent.map((data, i) => same(data, fresh[i]))).toEqual([true, true, true, true]);
    expect(repeated.map((data, i) => same(data, fresh[i].subarray(5)))).toEqual([true, true, true, true]);
    await embedder.release();
  });

  it('converts into a given output only when it is exactly the range\'s size', () => {
    const set = images(3);
    const into = new Float32Array(2 * 16);
    expect(imagesToNchw(set, 1, 3, into)).toBe(into);
    expect(into).toEqual(imagesToNchw(set, 1, 3));
    expect(() => imagesToNchw(set, 0, 3, into)).toThrow(/holds 32 floats, 3 images need 48/);
  });

  it('computes x/255 · W and normalises each row', async () => {
    const set = images(3);
    const embedder = await OnnxEmbedder.load(model);
    const features = await embedder.embedImages(set, 1, 2);
    const raw = [0, 1, 2, 3, 4].map((j) => set.pixels.subarray(16, 32).reduce((s, p, i) => s + (p / 255) * weights[i * 5 + j], 0));
    const norm = Math.hypot(...raw);
    raw.forEach((v, j) => expect(features.data[j]).toBeCloseTo(v / norm, 5));
    await embedder.release();
  });

  it('feeds uint8 pixels to a graph that converts them: the features of the JavaScript conversion bit for bit, one channel and three', async () => {
    // Prepare: a three-channel model too, whose NCHW input the rewritten graph must transpose from the pixels' NHWC.
    const rgbWeights = Float32Array.from({ length: 48 * 5 }, () => rng.normal());
    const rgbModel = exportSequentialOnnx({ input: { name: 'image', shape: [3, 4, 4] }, outputName: 'embedding', layers: [{ type: 'flatten', order: 'nchw' }, { type: 'dense', weights: rgbWeights, inDim: 48, outDim: 5 }] });
    const cases = [{ bytes: model, set: images(40) }, { bytes: rgbModel, set: images(40, 4, 3) }];
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    for (const { bytes, set } of cases) {
      const embedder = await OnnxEmbedder.load(bytes, { batchSize: 16, intraOpNumThreads: 1 });
      // Act
      const viaGraph = await embedder.embedImages(set, 3, 40);
      const viaJs = await embedder.embedNchw(imagesToNchw(set, 3, 40), 37);
      // Assess
      expect(same(viaGraph.data, viaJs.data)).toBe(true);
      await embedder.release();
    }
  });

  it('gives the committed fashion-mnist model\'s features bit for bit from uint8 pixels as from the JavaScript conversion', async () => {
    const images = await loadBuiltinDataset('fashion-mnist');
    const set = subsetImages(images, Uint32Array.from({ length: 3000 }, (_, i) => i * 23));
    const file = path.resolve(import.meta.dirname, '../../models/fashion-mnist/new.onnx');
    const embedder = await OnnxEmbedder.load(file, { batchSize: 256, intraOpNumThreads: 1 });
    const viaGraph = await embedder.embedImages(set);
    const viaJs = await embedder.embedNchw(imagesToNchw(set), set.ids.length);
    expect(viaGraph.data.every((v, i) => Object.is(v, viaJs.data[i]))).toBe(true);
    await embedder.release();
  });

  it('rewrites the model\'s input to uint8 pixels and refuses a model without one float32 image input', async () => {
    const session = await loadOnnxRuntime().InferenceSession.create(withUint8Input(model, 'm'));
    expect(session.inputMetadata).toEqual([expect.objectContaining({ name: 'image_uint8', type: 'uint8', shape: ['N', 1, 4, 4] })]);
    await session.release();
    // A model of IR version 3 lists its initializers among its inputs, as the spec then asks: so does the rewrite's scale
    const old = onnx.ModelProto.decode(model);
    old.irVersion = 3;
    for (const t of old.graph!.initializer!) old.graph!.input!.push({ name: t.name, type: { tensorType: { elemType: t.dataType, shape: { dim: (t.dims ?? []).map((d) => ({ dimValue: d })) } } } });
    const rewritten = onnx.ModelProto.decode(withUint8Input(onnx.ModelProto.encode(old).finish(), 'old.onnx')).graph!;
    expect(rewritten.input!.map((i) => i.name).sort()).toEqual(rewritten.initializer!.map((t) => t.name).concat('image_uint8').sort());
    expect(onnx.ModelProto.decode(withUint8Input(model, 'm')).graph!.input!.map((i) => i.name)).toEqual(['image_uint8']);
    const vectorModel = exportSequentialOnnx({ input: { name: 'features', shape: [5] }, outputName: 'embedding', layers: [{ type: 'relu' }] });
    expect(() => withUint8Input(vectorModel, 'vector.onnx')).toThrow(/vector\.onnx: input "features" is not a float32 \[N, C, H, W\] tensor/);
  });

  it('skips normalising a model declared to end in an L2 normalisation, after checking its first batch', async () => {
    const normalised = exportSequentialOnnx({
      input: { name: 'image', shape: [1, 4, 4] }, outputName: 'embedding',
      layers: [{ type: 'flatten', order: 'nchw' }, { type: 'dense', weights, inDim: 16, outDim: 5 }, { type: 'l2Normalize', epsilon: 1e-12 }],
    });
    const set = images(30);
    const declared = await OnnxEmbedder.load(normalised, { outputNormalized: true });
    const renormalised = await OnnxEmbedder.load(normalised);
    const a = (await declared.embedImages(set)).data, b = (await renormalised.embedImages(set)).data;
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
    // The model above has no normalisation: declaring one is caught on the first batch, not trusted.
    const wrong = await OnnxEmbedder.load(model, { outputNormalized: true });
    await expect(wrong.embedImages(set)).rejects.toThrow(/declared to end in an L2 normalisation\): output row 0 has L2 norm [\d.]+, not 1/);
    await Promise.all([declared.release(), renormalised.release(), wrong.release()]);
  });

  it('names the mismatch when images do not fit the model', async () => {
    const embedder = await OnnxEmbedder.load(model);
    await expect(embedder.embedImages(images(2, 5))).rejects.toThrow(/images are 5x5 with 1 channel\(s\); .* expects 4x4 with 1/);
    await expect(embedder.embedImages(images(2, 4, 3))).rejects.toThrow(/with 3 channel\(s\)/);
    await expect(embedder.embedNchw(new Float32Array(15), 1)).rejects.toThrow(/1 images of 1x4x4 need 16/);
    await embedder.release();
  });

  it('rejects bytes that are not an ONNX model and models that do not take images', async () => {
    await expect(OnnxEmbedder.load(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(InvalidInputError);
    const vectorModel = exportSequentialOnnx({ input: { name: 'features', shape: [5] }, outputName: 'embedding', layers: [{ type: 'relu' }] });
    await expect(OnnxEmbedder.load(vectorModel)).rejects.toThrow(/input must be \[N, C, H, W\]/);
  });
});

describe('OnnxTransform', () => {
  const psiModel = exportSequentialOnnx({
    input: { name: 'features', shape: [5] },
    outputName: 'embedding',
    layers: [{ type: 'dense', weights: Float32Array.from({ length: 15 }, () => rng.normal()), inDim: 5, outDim: 3 }, { type: 'l2Normalize', epsilon: 1e-12 }],
  });

  it('maps [N, 5] features to unit-length [N, 3] ones', async () => {
    const psi = await OnnxTransform.load(psiModel, { batchSize: 4 });
    const out = await psi.apply(randomFeatures(10, 5, 1));
    expect([out.rows, out.dim]).toEqual([10, 3]);
    expect(Math.hypot(...out.data.subarray(0, 3))).toBeCloseTo(1, 5);
    await psi.release();
  });

  it('rejects features of the wrong dimension', async () => {
    const psi = await OnnxTransform.load(psiModel);
    await expect(psi.apply(randomFeatures(2, 4, 1))).rejects.toThrow(/has dimension 4, expected 5/);
    await psi.release();
  });
});
