import { InvalidInputError } from '../../errors.ts';
import { selectRows, type FeatureMatrix } from '../features.ts';
import { isQuery } from '../gallery/stream-ingest.ts';
import { shuffledListing } from '../gallery/shuffled-listing.ts';
import { embedSourceRefs } from '../gallery/source-embed.ts';
import type { ImageLimits } from '../images/preprocess.ts';
import { CardEmbedder } from '../models/card-embedder.ts';
import { loadModelCard, readCardModel } from '../models/model-card.ts';
import { modelIdentity } from '../models/model-identity.ts';
import { describeSource, type OpenSourceStore } from '../sources/image-source.ts';
import { fitReverseTransform, ReverseTransformMethod } from './fit-reverse-transform.ts';
import { psiFileText, type PsiFile } from './psi-file.ts';

export interface TrainPsiOptions extends ImageLimits {
  /** A folder or an `s3://bucket/prefix` of JPEG/PNG/WebP images (labels are not needed). */
  readonly dataset: string;
  readonly oldCard: string;
  readonly newCard: string;
  /** Default `procrustes`. */
  readonly method?: ReverseTransformMethod;
  /** Images read at most: the first of the source in a seeded random order. Default 20,000. */
  readonly maxItems?: number;
  /** Seed of that order. Default 1. */
  readonly seed?: number;
  /** Share of the images held out to measure ψ on (chosen by a hash of the source id). Default 0.1. */
  readonly heldOutFraction?: number;
  readonly openStore?: OpenSourceStore;
  readonly onProgress?: (done: number, stage: string) => void;
}

/** The ψ file's text and what it holds. */
export interface TrainedPsi {
  readonly text: string;
  readonly file: Omit<PsiFile, 'weights' | 'bias'>;
}

/**
 * Trains ψ (new → old) for a pair of model cards on a set of images: each image is preprocessed per card and
 * embedded with both models, the closed-form ψ is fitted on all but a held-out share, and the mean cosine of ψ(new)
 * with old is measured on both parts. The result records both models' identities (name, dim, ONNX hash, a hash of the
 * card's preprocessing), so an ingest with other models refuses it. Memory: both feature matrices (items × dims).
 *
 * @example
 * const { text, file } = await trainPsiForCards({ dataset: './photos', oldCard: 'old.card.json', newCard: 'new.card.json' });
 * await writeFile('psi.json', text); // file.quality.heldOutMeanCosine
 */
export async function trainPsiForCards(options: TrainPsiOptions): Promise<TrainedPsi> {
  const method = options.method ?? ReverseTransformMethod.procrustes;
  const maxItems = options.maxItems ?? 20_000;
  const heldOutFraction = options.heldOutFraction ?? 0.1;
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new InvalidInputError(`held-out fraction must be in [0, 1), got ${heldOutFraction}`);
  const { kind, uri } = describeSource(options.dataset);
  if (kind === 'builtin') throw new InvalidInputError('ψ is trained for model cards on a folder or an s3:// prefix of images; built-in datasets ship their own ψ');
  const cards = { old: await loadModelCard(options.oldCard), new: await loadModelCard(options.newCard) };
  const bytes = { old: await readCardModel(cards.old), new: await readCardModel(cards.new) };
  const refs: { sourceId: string }[] = [];
  for await (const page of shuffledListing(options.dataset, { seed: options.seed ?? 1, openStore: options.openStore })) {
    refs.push(...page.slice(0, maxItems - refs.length).map((item) => ({ sourceId: item.sourceId })));
    if (refs.length >= maxItems) break;
  }
  const embed = async (role: 'old' | 'new'): Promise<FeatureMatrix> => {
    const embedder = await CardEmbedder.open(cards[role], { bytes: bytes[role], intraOpNumThreads: 1 });
    try {
      options.onProgress?.(0, `embedding ${refs.length} images with the ${role} model`);
      return await embedSourceRefs(uri, refs, embedder, { openStore: options.openStore, maxPixels: options.maxPixels, maxBytes: options.maxBytes });
    } finally {
      await embedder.release();
    }
  };
  const features = { old: await embed('old'), new: await embed('new') };
  const heldOut = refs.flatMap((r, i) => (isQuery(`psi-held-out\n${r.sourceId}`, heldOutFraction) ? [i] : []));
  const held = new Set(heldOut);
  const train = refs.flatMap((_, i) => (held.has(i) ? [] : [i]));
  if (train.length < 2) throw new InvalidInputError(`${uri}: ψ needs at least 2 training images, found ${train.length} (of ${refs.length} listed)`);
  const part = (rows: number[]) => ({ new: selectRows(features.new, rows), old: selectRows(features.old, rows) });
  const trainPairs = part(train);
  const psi = fitReverseTransform(trainPairs.new, trainPairs.old, { method });
  const meanCosine = (pairs: { new: FeatureMatrix; old: FeatureMatrix }) => meanRowCosine(psi.applySync(pairs.new), pairs.old);
  const meta = {
    createdAt: new Date().toISOString(), trainedOn: uri, method,
    models: { old: modelIdentity(cards.old, bytes.old), new: modelIdentity(cards.new, bytes.new) },
    quality: {
      trainPairs: train.length, heldOutPairs: heldOut.length, trainMeanCosine: meanCosine(trainPairs),
      heldOutMeanCosine: heldOut.length > 0 ? meanCosine(part(heldOut)) : null,
    },
  };
  return { text: psiFileText(psi, meta), file: { kind: 'reverie-psi', version: 1, ...meta, inDim: psi.inDim, outDim: psi.outDim } };
}

/** Mean over rows of cos(a_i, b_i). */
function meanRowCosine(a: FeatureMatrix, b: FeatureMatrix): number {
  let total = 0;
  for (let r = 0; r < a.rows; r++) {
    let dot = 0, na = 0, nb = 0;
    for (let j = 0; j < a.dim; j++) {
      const x = a.data[r * a.dim + j], y = b.data[r * b.dim + j];
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    total += dot / Math.sqrt(na * nb || 1);
  }
  return total / Math.max(1, a.rows);
}
