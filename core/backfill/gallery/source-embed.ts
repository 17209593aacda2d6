import { ConflictError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { FeatureMatrix } from '../features.ts';
import { createFeatureMatrix } from '../features.ts';
import { preprocessImage, type ImageLimits, type ImageTensor } from '../images/preprocess.ts';
import type { CardEmbedder } from '../models/card-embedder.ts';
import { openSourceItem, type OpenSourceStore } from '../sources/image-source.ts';

/** A source object a shard references: its id and, once ingested, the hash its bytes must still have. */
export interface SourceRef {
  readonly sourceId: string;
  readonly sha256?: string;
}

/** Images per onnxruntime call when embedding source objects. */
const BATCH = 64;

/**
 * Reads each referenced object from the source again, checks it is the object that was ingested (SHA-256), and
 * embeds it with the card's preprocessing, a batch at a time: the re-embedding step of a streamed gallery.
 *
 * @example
 * const features = await embedSourceRefs('s3://photos/cats', items, embedder, { openStore });
 */
export async function embedSourceRefs(
  source: string, refs: readonly SourceRef[], embedder: CardEmbedder, options: ImageLimits & { openStore?: OpenSourceStore } = {},
): Promise<FeatureMatrix> {
  const dim = embedder.card.output.dim;
  const out = new Float32Array(refs.length * dim);
  for (let start = 0; start < refs.length; start += BATCH) {
    const part = refs.slice(start, start + BATCH);
    const tensors: ImageTensor[] = [];
    for (const ref of part) {
      const bytes = await openSourceItem(source, ref.sourceId, options.openStore);
      if (ref.sha256 && sha256(bytes) !== ref.sha256) {
        throw new ConflictError(`${source}/${ref.sourceId} changed since it was ingested (its SHA-256 differs); ingest the gallery again`, { details: { file: ref.sourceId } });
      }
      tensors.push(await preprocessImage(bytes, embedder.card, `${source}/${ref.sourceId}`, options));
    }
    out.set((await embedder.embed(tensors)).data, start * dim);
  }
  return createFeatureMatrix(out, dim);
}
