import { readFile } from 'node:fs/promises';
import { NotFoundError } from '../../errors.ts';
import { preprocessImage, type ImageLimits } from '../images/preprocess.ts';
import { assertRowsNormalized, createFeatureMatrix } from '../features.ts';
import { CardEmbedder } from './card-embedder.ts';
import { loadModelCard } from './model-card.ts';

export interface CardCheck {
  readonly card: string;
  readonly name: string;
  readonly model: string;
  readonly input: { readonly name: string; readonly shape: readonly number[]; readonly layout: string; readonly dtype: string; readonly channelOrder: string; readonly resizeShorter: number };
  readonly output: { readonly name: string; readonly dim: number; readonly normalizedByModel: boolean };
  readonly image: string;
  /** Measured on the one image: the raw output's L2 norm, its first values, the time of one run. */
  readonly probe: { readonly outputNorm: number; readonly first: readonly number[]; readonly ms: number };
}

/**
 * Opens the model a card describes and runs one image through preprocessing and the model, reporting what it
 * found; any mismatch between card and model is an InvalidInputError naming the field.
 *
 * @example
 * const check = await checkModelCard('models/photos/new.card.json');
 * check.output.dim; // 48
 */
export async function checkModelCard(cardPath: string, options: { image?: string } & ImageLimits = {}): Promise<CardCheck> {
  const card = await loadModelCard(cardPath);
  const embedder = await CardEmbedder.open(card, { intraOpNumThreads: 1 });
  try {
    const bytes = options.image
      ? await readFile(options.image).catch((cause: unknown) => { throw new NotFoundError(`--image ${options.image} could not be read`, { cause }); })
      : await probeImage();
    const started = performance.now();
    const tensor = await preprocessImage(bytes, card, options.image ?? 'probe image', options);
    const features = await embedder.embedRaw([tensor]);
    const ms = performance.now() - started;
    // A card that says the graph normalises is trusted to skip normalizeRows: the one image must bear it out.
    if (card.output.normalized) assertRowsNormalized(createFeatureMatrix(features, card.output.dim), `${card.modelPath} (card ${cardPath} says output.normalized)`);
    let norm = 0;
    for (const v of features) norm += v * v;
    const { input } = card;
    return {
      card: cardPath, name: card.name, model: card.modelPath,
      input: { name: embedder.inputName, shape: embedder.inputShape, layout: input.layout, dtype: input.dtype, channelOrder: input.channelOrder, resizeShorter: input.resizeShorter ?? Math.max(input.height, input.width) },
      output: { name: card.output.name, dim: card.output.dim, normalizedByModel: card.output.normalized },
      image: options.image ?? 'a generated 320x240 gradient (pass --image to use your own)',
      probe: { outputNorm: Math.sqrt(norm), first: Array.from(features.subarray(0, 4), (v) => Number(v.toFixed(6))), ms },
    };
  } finally {
    await embedder.release();
  }
}

/** A 320×240 RGB gradient: enough to run every preprocessing step (resize, crop, channels). */
async function probeImage(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const width = 320, height = 240;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([x % 256, y % 256, (x + y) % 256], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}
