import { z } from 'zod';
import { getJsonIfExists, putJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { galleryKeys } from './keys.ts';

export const PsiMethodSchema = z.enum(['procrustes', 'least-squares']);

/** Which ψ (new → old) `rt-merge` uses: the ONNX file given at ingest, the latest online fit, or none yet. */
export const PsiStateSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('trained') }),
  z.object({ source: z.literal('none') }),
  z.object({
    source: z.literal('online'),
    /** The committed fit batch (`psi/fit-…`). */
    batch: z.string(),
    method: PsiMethodSchema,
    pairs: z.number().int().positive(),
    shards: z.number().int().nonnegative(),
    /** Of `pairs`, items added while the old space served (embedded with both models when they arrived). */
    addedPairs: z.number().int().nonnegative().optional(),
  }),
]);
export type PsiState = z.infer<typeof PsiStateSchema>;

/**
 * The mutable part of a gallery: its status, the model its index answers with, and the current ψ. Only the
 * workflow's serial steps (plan, refit, finalise) write it, never the concurrent shard steps; shard progress itself
 * is read from the committed shard manifests, which are the truth.
 */
export const GalleryStateSchema = z.object({
  version: z.literal(1),
  status: z.enum(['ingested', 'backfilling', 'complete']),
  /** `new` once every shard is backfilled and finalised. */
  model: z.enum(['old', 'new']),
  psi: PsiStateSchema,
  lastExecution: z.string().optional(),
  updatedAt: z.string(),
});
export type GalleryState = z.infer<typeof GalleryStateSchema>;

/**
 * The gallery's state, or undefined before ingest wrote it.
 *
 * @example
 * (await readGalleryState(store, 'fashion-mnist'))?.psi; // { source: 'online', method: 'procrustes', … }
 */
export async function readGalleryState(store: Store, galleryId: string): Promise<GalleryState | undefined> {
  return getJsonIfExists(store, galleryKeys(galleryId).state, GalleryStateSchema);
}

export async function writeGalleryState(store: Store, galleryId: string, state: Omit<GalleryState, 'version' | 'updatedAt'>): Promise<GalleryState> {
  const full: GalleryState = { version: 1, ...state, updatedAt: new Date().toISOString() };
  await putJson(store, galleryKeys(galleryId).state, full);
  return full;
}
