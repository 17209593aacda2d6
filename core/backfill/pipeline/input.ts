import { z } from 'zod';
import { PsiMethodSchema } from '../gallery/gallery-state.ts';
import { GalleryIdSchema } from '../gallery/keys.ts';

/** Input of the `backfill` workflow (API, CLI and schedules alike). */
export const BackfillInputSchema = z.object({
  gallery: GalleryIdSchema.describe('the gallery to backfill (made by `reverie backfill ingest`)'),
  maxShards: z.number().int().min(1).nullable().default(null)
    .describe('embed at most this many shards in this run, so a schedule can advance a backfill in bounded off-peak steps; null: all'),
  maxConcurrency: z.number().int().min(1).max(1000).default(4).describe('shards embedded at once (the Map state\'s MaxConcurrency)'),
  refitEvery: z.number().int().min(1).nullable().default(null)
    .describe('shards per wave between online ψ refits; null: a tenth of the gallery, at least maxConcurrency'),
  psiMethod: PsiMethodSchema.default('procrustes').describe('closed-form online ψ when the gallery has no trained ψ'),
  maxPsiPairs: z.number().int().min(2).max(1_000_000).default(10_000).describe('at most this many paired items per ψ fit (evenly sampled)'),
  psiFromAdds: z.boolean().default(true)
    .describe('also fit the online ψ on items added while the old space served (they have both models\' features); false: backfilled shards only'),
  batchSize: z.number().int().min(1).max(65_536).default(256).describe('images per onnxruntime call'),
  intraOpNumThreads: z.number().int().min(1).max(64).default(1).describe('onnxruntime threads per shard step'),
});
export type BackfillInput = z.infer<typeof BackfillInputSchema>;

/** What every step of one execution shares, fixed by the plan step. */
export const BackfillJobSchema = z.object({
  gallery: GalleryIdSchema,
  executionId: z.string(),
  shardsTotal: z.number().int().positive(),
  waveShards: z.number().int().positive(),
  maxConcurrency: z.number().int().positive(),
  psi: z.enum(['trained', 'online']),
  psiMethod: PsiMethodSchema,
  maxPsiPairs: z.number().int().min(2),
  psiFromAdds: z.boolean().default(true),
  batchSize: z.number().int().positive(),
  intraOpNumThreads: z.number().int().positive(),
});
export type BackfillJob = z.infer<typeof BackfillJobSchema>;

/** The shards of one wave (embedded in parallel, then ψ is refitted), and how many more this run may embed. */
export const BackfillWaveSchema = z.object({
  shards: z.array(z.number().int().nonnegative()),
  hasWork: z.boolean(),
  /** Shards this run may still embed after this wave; null: no limit. */
  budget: z.number().int().nonnegative().nullable(),
});
export type BackfillWave = z.infer<typeof BackfillWaveSchema>;

/** Input of the shard step: small, so a wave of thousands of shards stays far under the 256 KB payload limit. */
export const EmbedShardInputSchema = z.object({
  gallery: GalleryIdSchema,
  shard: z.number().int().nonnegative(),
  executionId: z.string(),
  batchSize: z.number().int().positive().default(256),
  intraOpNumThreads: z.number().int().positive().default(1),
});
export type EmbedShardInput = z.infer<typeof EmbedShardInputSchema>;
