import { InvalidInputError } from '../../errors.ts';
import { readBatchObject } from '../../store/batch.ts';
import { decodeNpy, encodeNpy } from '../../store/npy.ts';
import type { Store } from '../../store/store.ts';
import { createFeatureMatrix, type FeatureMatrix } from '../features.ts';
import type { ImageTensor } from '../images/preprocess.ts';
import type { CardEmbedder } from '../models/card-embedder.ts';
import { InputDtype, TensorLayout, type ModelCard } from '../models/model-card.ts';
import { requireManifest } from './gallery-batch.ts';
import { decodePixelNpy, encodePixelNpy } from './pixel-npy.ts';

/** The file of an image shard holding the new model's preprocessed input tensors (galleries ingested with `storeTensors`). */
export const TENSORS_FILE = 'tensors.npy';

/** Images per onnxruntime call: the same batches as embedding from the source (`embedSourceRefs`), so features match bit for bit. */
const BATCH = 64;

type TensorCard = Pick<ModelCard, 'input'> & { readonly channels: number };

/** One image's input shape in the card's layout, without the batch axis: `[C, H, W]` (NCHW) or `[H, W, C]`. */
export function tensorShape(card: TensorCard): [number, number, number] {
  const { height, width, layout } = card.input;
  return layout === TensorLayout.nchw ? [card.channels, height, width] : [height, width, card.channels];
}

/**
 * Encodes preprocessed input tensors (one per item, each in the card's dtype and layout) as one `.npy` of shape
 * `[N, …tensorShape]`: float32 `<f4` or uint8 `|u1`, as the card's dtype is, readable by `np.load`.
 *
 * @example
 * const bytes = encodeStoredTensors([await preprocessImage(jpeg, newCard, 'a.jpg')], newCard);
 */
export function encodeStoredTensors(tensors: readonly ImageTensor[], card: TensorCard): Uint8Array {
  const shape = tensorShape(card);
  const size = shape[0] * shape[1] * shape[2];
  const float = card.input.dtype === InputDtype.float32;
  const data = float ? new Float32Array(tensors.length * size) : new Uint8Array(tensors.length * size);
  tensors.forEach((t, i) => {
    if (t.length !== size || (t instanceof Float32Array) !== float) {
      throw new InvalidInputError(`tensor ${i} holds ${t.length} ${t instanceof Float32Array ? 'float32' : 'uint8'} values; the card takes ${size} ${card.input.dtype}`);
    }
    data.set(t, i * size);
  });
  const full = [tensors.length, ...shape] as [number, number, number, number];
  return data instanceof Float32Array ? encodeNpy(data, full) : encodePixelNpy(data, full);
}

/**
 * Reads a shard's stored tensors (checked against its manifest: size and SHA-256) and checks their dtype and shape
 * against the card and the shard's item count, each failure naming the file.
 */
export async function readStoredTensors(store: Store, prefix: string, card: TensorCard, items: number): Promise<Float32Array | Uint8Array> {
  const manifest = await requireManifest(store, prefix, 'image shard');
  const source = `${prefix}/${TENSORS_FILE}`;
  if (!manifest.objects.some((o) => o.name === TENSORS_FILE)) {
    throw new InvalidInputError(`${source} is missing: the gallery says it stores the new model's tensors, the shard does not hold them`);
  }
  const bytes = await readBatchObject(store, manifest, TENSORS_FILE);
  const float = card.input.dtype === InputDtype.float32;
  const { data, shape } = float ? decodeNpy(bytes, source) : (({ pixels, shape: s }) => ({ data: pixels, shape: s as number[] }))(decodePixelNpy(bytes, source));
  const want = [items, ...tensorShape(card)];
  if (shape.length !== 4 || shape.some((n, i) => n !== want[i])) {
    throw new InvalidInputError(`${source} has shape [${shape.join(', ')}], the new model's card and the shard need [${want.join(', ')}]`);
  }
  return data;
}

/**
 * Embeds rows of stored tensors (`'all'` or offsets into the shard) with the new model, 64 images per call, the same
 * batches `embedSourceRefs` would make from the source, so the features are the same bit for bit.
 */
export async function embedStoredTensors(tensors: Float32Array | Uint8Array, rows: Uint32Array | 'all', embedder: CardEmbedder): Promise<FeatureMatrix> {
  const size = embedder.inputSize;
  const dim = embedder.card.output.dim;
  const count = rows === 'all' ? tensors.length / size : rows.length;
  const out = new Float32Array(count * dim);
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    let batch: Float32Array | Uint8Array;
    if (rows === 'all') batch = tensors.subarray(start * size, (start + n) * size);
    else {
      batch = tensors instanceof Float32Array ? new Float32Array(n * size) : new Uint8Array(n * size);
      for (let i = 0; i < n; i++) batch.set(tensors.subarray(rows[start + i] * size, (rows[start + i] + 1) * size), i * size);
    }
    out.set((await embedder.embedBatch(batch, n)).data, start * dim);
  }
  return createFeatureMatrix(out, dim);
}
