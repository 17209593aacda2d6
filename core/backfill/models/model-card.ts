import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.ts';

export const ChannelOrder = { rgb: 'RGB', bgr: 'BGR', gray: 'GRAY' } as const;
export const TensorLayout = { nchw: 'NCHW', nhwc: 'NHWC' } as const;
export const InputDtype = { float32: 'float32', uint8: 'uint8' } as const;

/**
 * A model card: how to feed one ONNX image embedder. Preprocessing runs in this order: decode (EXIF orientation
 * applied, alpha flattened onto black), resize so the shorter side is `resizeShorter`, centre-crop to
 * `height × width`, convert to `channelOrder`, then for float32 inputs `(pixel / 255 − mean) / std` per channel,
 * laid out as `layout`. A uint8 input receives the raw cropped pixels (the model scales inside its graph).
 */
export const ModelCardSchema = z.object({
  version: z.literal(1),
  /** What the model is, for people reading a gallery record. */
  name: z.string().min(1),
  /** How the model was made and what it measured: free text for people. */
  description: z.string().optional(),
  /** The ONNX file, relative to the card's folder (or absolute). */
  model: z.string().min(1),
  input: z.object({
    /** The graph input's name; default: the model's only input. */
    name: z.string().min(1).optional(),
    height: z.number().int().positive().max(4096),
    width: z.number().int().positive().max(4096),
    channelOrder: z.enum([ChannelOrder.rgb, ChannelOrder.bgr, ChannelOrder.gray]),
    /** Shorter side after the resize; default max(height, width), i.e. resize then crop the longer side. */
    resizeShorter: z.number().int().positive().max(8192).optional(),
    layout: z.enum([TensorLayout.nchw, TensorLayout.nhwc]),
    dtype: z.enum([InputDtype.float32, InputDtype.uint8]),
    /** Per-channel mean and std of pixels scaled to [0, 1], in `channelOrder` order (float32 inputs only). */
    mean: z.array(z.number()).min(1).max(3).default([0]),
    std: z.array(z.number().positive()).min(1).max(3).default([1]),
  }),
  output: z.object({
    name: z.string().min(1),
    dim: z.number().int().positive().max(65536),
    /** True when the graph already ends in an L2 normalisation (Reverie then does not normalise again). */
    normalized: z.boolean().default(false),
  }),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

/** A card read from a file: its fields with `model` resolved to a path, and where it came from. */
export interface LoadedModelCard extends ModelCard {
  readonly cardPath: string;
  readonly modelPath: string;
  readonly channels: 1 | 3;
}

/**
 * Validates a parsed card, naming `source` and the offending field on any problem.
 *
 * @example
 * const card = parseModelCard(JSON.parse(text), 'models/photos/old.card.json');
 * card.channels; // 3
 */
export function parseModelCard(value: unknown, source: string, baseDir = path.dirname(source)): LoadedModelCard {
  const parsed = ModelCardSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`model card ${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { details: { card: source } });
  }
  const card = parsed.data;
  const channels = card.input.channelOrder === ChannelOrder.gray ? 1 : 3;
  for (const field of ['mean', 'std'] as const) {
    const values = card.input[field];
    if (values.length !== 1 && values.length !== channels) {
      throw new InvalidInputError(`model card ${source}: input.${field} has ${values.length} values; give 1 or ${channels} (one per channel)`);
    }
  }
  const shorter = card.input.resizeShorter ?? Math.max(card.input.height, card.input.width);
  if (shorter < Math.min(card.input.height, card.input.width)) {
    throw new InvalidInputError(`model card ${source}: input.resizeShorter ${shorter} is smaller than the ${card.input.width}x${card.input.height} crop`);
  }
  const modelPath = path.resolve(baseDir, card.model);
  return { ...card, input: { ...card.input, resizeShorter: shorter }, cardPath: source, modelPath, channels };
}

/**
 * Reads and validates a model card JSON file.
 *
 * @example
 * const card = await loadModelCard('models/photos/new.card.json');
 * card.output.dim; // 96
 */
export async function loadModelCard(file: string): Promise<LoadedModelCard> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new NotFoundError(`model card ${file} could not be read`, { cause, details: { card: file } });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`model card ${file} is not valid JSON (${(cause as Error).message})`, { cause, details: { card: file } });
  }
  return parseModelCard(value, file);
}

/** The card's per-channel value of `mean`/`std` (one value applies to every channel). */
export function channelValue(values: readonly number[], channel: number): number {
  return values.length === 1 ? values[0] : values[channel];
}

/** The ONNX bytes a loaded card points at; a missing file is a NotFoundError naming the model and its card. */
export async function readCardModel(card: LoadedModelCard): Promise<Uint8Array> {
  return readFile(card.modelPath).then((b) => new Uint8Array(b), (cause: unknown) => {
    throw new NotFoundError(`model ${card.modelPath} (card ${path.basename(card.cardPath)}) could not be read`, { cause });
  });
}
