import { ConflictError, type ReverieError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import type { OnnxEmbedder } from '../embedder.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { assertEmbedderDim } from './model-checks.ts';

type Descriptor = Omit<GalleryRecord, 'fingerprint' | 'createdAt'>;

/** A short hash of everything that decides a gallery's bytes: record fields, model hashes and item order. */
export function ingestFingerprint(descriptor: Descriptor, gallerySourceIds: readonly string[], querySourceIds: readonly string[]): string {
  const { models, ...rest } = descriptor;
  const modelShas = { old: models.old.sha256, new: models.new.sha256, psi: models.psi?.sha256 ?? null };
  const items = sha256(new TextEncoder().encode(`${gallerySourceIds.join('\n')}\n\n${querySourceIds.join('\n')}`));
  return sha256(new TextEncoder().encode(JSON.stringify({ ...rest, models: modelShas, items }))).slice(0, 16);
}

/**
 * Why an ingest cannot reuse an existing gallery id: an old model of another dimension than the gallery's index is
 * named as such; any other difference is a ConflictError listing the fields that differ.
 */
export function describeRecordDifference(existing: GalleryRecord, descriptor: Descriptor, oldModel: OnnxEmbedder): ReverieError {
  try {
    assertEmbedderDim(oldModel, existing.models.old.dim, 'old', existing.id);
  } catch (error) {
    return error as ReverieError;
  }
  const fields: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const key of ['source', 'image', 'items', 'queries', 'shardSize', 'orderSeed', 'toGrayscale'] as const) {
    if (!same(existing[key], descriptor[key])) fields.push(key);
  }
  for (const role of ['old', 'new', 'psi'] as const) {
    if (existing.models[role]?.sha256 !== descriptor.models[role]?.sha256) fields.push(`${role} model`);
  }
  return new ConflictError(
    `gallery "${existing.id}" already exists with a different ${fields.join(', ') || 'item order'}; ` +
      'pick another --gallery id (a gallery\'s shards are never overwritten)',
  );
}
