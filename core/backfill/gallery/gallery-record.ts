import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { getJsonIfExists } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { ModelCardSchema } from '../models/model-card.ts';
import { galleryKeys, GalleryIdSchema, shardCount } from './keys.ts';

const ModelInfoSchema = z.object({
  /** SHA-256 of the ONNX bytes stored in the gallery's `models` batch. */
  sha256: z.string(),
  /** Where the file came from when ingested (a path on the ingesting machine), for people reading the record. */
  source: z.string(),
});

export const GallerySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), dataset: z.string(), split: z.enum(['gallery', 'all']) }),
  z.object({ kind: z.literal('folder'), path: z.string(), queryFraction: z.number() }),
  /** A streamed photo source (folder or `s3://` prefix): shards reference its objects, re-embedding reads them again. */
  z.object({ kind: z.literal('stream'), uri: z.string(), queryFraction: z.number() }),
]);
export type GallerySource = z.infer<typeof GallerySourceSchema>;

/**
 * What a gallery is, fixed at ingest and written last (create-only), so a gallery exists only once every shard of
 * it is committed. `fingerprint` is stamped into every batch's manifest so a later ingest cannot mix its shards in.
 */
export const GalleryRecordSchema = z.object({
  version: z.literal(1),
  id: GalleryIdSchema,
  fingerprint: z.string(),
  createdAt: z.string(),
  source: GallerySourceSchema,
  image: z.object({ height: z.number().int().positive(), width: z.number().int().positive(), channels: z.union([z.literal(1), z.literal(3)]) }),
  /** Colour uploads are converted to grayscale (as the folder's images were) instead of being refused. */
  toGrayscale: z.boolean(),
  classes: z.array(z.string()),
  items: z.number().int().positive(),
  queries: z.number().int().nonnegative(),
  shardSize: z.number().int().positive(),
  /** Seed of the random order items were dealt into shards in (the paper's random backfill order). */
  orderSeed: z.number().int(),
  models: z.object({
    old: ModelInfoSchema.extend({ dim: z.number().int().positive() }),
    new: ModelInfoSchema.extend({ dim: z.number().int().positive() }),
    psi: ModelInfoSchema.extend({ inDim: z.number().int().positive(), outDim: z.number().int().positive() }).optional(),
  }),
  /** Streamed galleries: the model cards (their `model` is the file name in the gallery's `models` batch). */
  cards: z.object({ old: ModelCardSchema, new: ModelCardSchema }).optional(),
  /**
   * Streamed galleries ingested with `storeTensors`: each gallery shard holds the new model's input tensors
   * (`tensors.npy`) and the backfill embeds from them, not from the source. Absent: the backfill reads the source.
   */
  storedTensors: z.literal('new').optional(),
});
export type GalleryRecord = z.infer<typeof GalleryRecordSchema>;

/** Gallery and query shard counts of a record. */
export function galleryShards(record: Pick<GalleryRecord, 'items' | 'queries' | 'shardSize'>): { gallery: number; queries: number } {
  return { gallery: shardCount(record.items, record.shardSize), queries: shardCount(record.queries, record.shardSize) };
}

/**
 * Reads a gallery's record; an unknown gallery is a NotFoundError that says how to make one.
 *
 * @example
 * const record = await readGalleryRecord(store, 'fashion-mnist');
 * record.models.old.dim; // 64
 */
export async function readGalleryRecord(store: Store, galleryId: string): Promise<GalleryRecord> {
  const record = await findGalleryRecord(store, galleryId);
  if (!record) {
    throw new NotFoundError(`no gallery "${galleryId}" in ${store.uri}; create it with \`reverie backfill ingest --gallery ${galleryId}\``);
  }
  return record;
}

// Records are create-only and never change, so a process reads each once (every shard step needs it).
const records = new Map<string, GalleryRecord>();

export async function findGalleryRecord(store: Store, galleryId: string): Promise<GalleryRecord | undefined> {
  const key = `${store.uri}\n${galleryId}`;
  const known = records.get(key);
  if (known) return known;
  const record = await getJsonIfExists(store, galleryKeys(galleryId).record, GalleryRecordSchema);
  if (record) records.set(key, record);
  return record;
}

/** Writes the record create-only; a different record already there is a ConflictError. */
export async function createGalleryRecord(store: Store, record: GalleryRecord): Promise<GalleryRecord> {
  const created = await store.putIfAbsent(galleryKeys(record.id).record, `${JSON.stringify(record, null, 2)}\n`);
  if (created) return record;
  const existing = await readGalleryRecord(store, record.id);
  if (existing.fingerprint !== record.fingerprint) throw new ConflictError(`gallery "${record.id}" was created by another ingest meanwhile`);
  return existing;
}
