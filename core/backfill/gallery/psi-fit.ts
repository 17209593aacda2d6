import { InvalidInputError } from '../../errors.ts';
import { readBatchObject, sha256 } from '../../store/batch.ts';
import { decodeNpy, encodeNpy } from '../../store/npy.ts';
import type { Store } from '../../store/store.ts';
import { LinearTransform } from '../reverse-transform/linear-transform.ts';
import { commitGalleryBatch, requireManifest } from './gallery-batch.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { galleryKeys } from './keys.ts';

const WEIGHTS_FILE = 'weights.npy';
const BIAS_FILE = 'bias.npy';

/**
 * The batch name of a fit from a set of backfilled shards and added batches (change-log seqs): deterministic, so
 * refitting the same set is a no-op. Without adds the name is what it was before adds joined the fit.
 */
export function psiFitName(shards: readonly number[], addSeqs: readonly number[] = []): string {
  const set = addSeqs.length > 0 ? `${shards.join(',')}|adds:${addSeqs.join(',')}` : shards.join(',');
  const digest = sha256(new TextEncoder().encode(set)).slice(0, 8);
  return `fit-${String(shards.length).padStart(5, '0')}-${digest}`;
}

/**
 * Commits a closed-form ψ as `weights.npy` (float32 `[d_new, d_old]`) and, for least squares, `bias.npy`.
 *
 * @example
 * const batch = await commitPsiFit(store, record, psiFitName(shards), fit, { method: 'procrustes', pairs: 4000, shards: 4 });
 */
export async function commitPsiFit(
  store: Store,
  record: GalleryRecord,
  name: string,
  psi: LinearTransform,
  meta: { method: string; pairs: number; shards: number; addedPairs?: number },
): Promise<string> {
  const objects = [{ name: WEIGHTS_FILE, body: encodeNpy(psi.weights, [psi.inDim, psi.outDim]) }];
  if (psi.bias) objects.push({ name: BIAS_FILE, body: encodeNpy(psi.bias, [psi.outDim]) });
  const batch = galleryKeys(record.id).psiFit(name);
  await commitGalleryBatch(store, batch, objects, { ingest: record.fingerprint, ...meta });
  return batch;
}

/** Reads a committed online ψ fit back as a LinearTransform, checking it maps new → old for this gallery. */
export async function readPsiFit(store: Store, record: GalleryRecord, batch: string, label: string): Promise<LinearTransform> {
  const manifest = await requireManifest(store, batch, 'ψ fit');
  const weights = decodeNpy(await readBatchObject(store, manifest, WEIGHTS_FILE), `${batch}/${WEIGHTS_FILE}`);
  const [inDim, outDim] = weights.shape;
  if (weights.shape.length !== 2 || inDim !== record.models.new.dim || outDim !== record.models.old.dim) {
    throw new InvalidInputError(
      `${batch}/${WEIGHTS_FILE} has shape [${weights.shape.join(', ')}]; ψ must map the new model's ${record.models.new.dim} dims to the old model's ${record.models.old.dim}`,
    );
  }
  const hasBias = manifest.objects.some((o) => o.name === BIAS_FILE);
  const bias = hasBias ? decodeNpy(await readBatchObject(store, manifest, BIAS_FILE), `${batch}/${BIAS_FILE}`).data : undefined;
  if (bias && bias.length !== outDim) throw new InvalidInputError(`${batch}/${BIAS_FILE} holds ${bias.length} values, expected ${outDim}`);
  return new LinearTransform({ weights: weights.data, bias, inDim, outDim, label });
}
