import { z } from 'zod';
import { LlmUsageSchema } from '../llm/accounting.ts';

const Curve = z.array(z.tuple([z.number(), z.number()]));

export const TrainingModeResultSchema = z.object({
  mode: z.string(),
  label: z.string(),
  seeds: z.number().int().positive(),
  syntheticRollouts: z.number().nonnegative(),
  realInteractions: z.number().nonnegative(),
  realSuccessBefore: z.number(),
  realSuccessAfter: z.number(),
  /** Spread of realSuccessAfter across seeds (standard deviation). */
  realSuccessSpread: z.number().nonnegative().default(0),
  /** Mean real success per iteration across seeds, and its per-iteration spread. */
  curve: Curve,
  curveSpread: z.array(z.number()).default([]),
});

const MeanIntervalSchema = z.object({ n: z.number().int().positive(), mean: z.number(), sd: z.number().nonnegative(), ci95: z.tuple([z.number(), z.number()]) });

/** Early experience's replay-enrichment result with its size-matched control, over seeds (see `summarizeBranchingControl`). */
export const BranchingControlResultSchema = z.object({
  seeds: z.array(z.number().int()),
  heldOutTrajectories: z.number().int().nonnegative(),
  agreement: z.object({ experts: MeanIntervalSchema, branching: MeanIntervalSchema, control: MeanIntervalSchema }),
  added: z.object({ branching: z.number().nonnegative(), control: z.number().nonnegative() }),
  difference: z.object({ branchingMinusControl: MeanIntervalSchema, branchingMinusExperts: MeanIntervalSchema, controlMinusExperts: MeanIntervalSchema }),
});

const FlipRateCurveSchema = z.array(z.tuple([z.number(), z.number().min(0).max(1)]));

export const BackfillModeResultSchema = z.object({
  auc: z.number(),
  relativeGain: z.number().nullable(),
  /** Curve points whose mAP is below the old model's (curve-level, not per query). */
  negativeFlips: z.number().int().nonnegative(),
  curve: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** Per-query negative flips against the old model at each fraction; absent in reports written before they existed. */
  queryFlipRate: z.object({ top1: FlipRateCurveSchema, ap: FlipRateCurveSchema }).optional(),
});

/**
 * Everything the main job's report shows, as data: the HTML report and the dashboard are both drawn from it, so
 * every plot comes from the run's own numbers.
 */
export const RunReportSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  durationSeconds: z.number(),
  metadata: z.object({
    config: z.record(z.string(), z.unknown()),
    seeds: z.record(z.string(), z.number()),
    versions: z.record(z.string(), z.string()),
    timings: z.record(z.string(), z.number()),
    machine: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  dreamgym: z.object({ env: z.string(), iterations: z.number(), modes: z.array(TrainingModeResultSchema) }).optional(),
  early: z
    .object({
      env: z.string(),
      k: z.number(),
      expertStates: z.number(),
      alternatives: z.number(),
      iwmRecords: z.number(),
      srRecords: z.number(),
      srWriter: z.string(),
      datasets: z.record(z.string(), z.string()),
      /** Reports written before the size-matched control existed: one seed, before → after branching. */
      enrichment: z.object({ before: z.number(), after: z.number() }).optional(),
      branchingControl: BranchingControlResultSchema.optional(),
    })
    .optional(),
  backfill: z
    .object({
      dataset: z.string(),
      galleryItems: z.number(),
      queries: z.number(),
      mAP: z.object({ old: z.number(), new: z.number() }),
      top1: z.object({ old: z.number(), new: z.number() }).optional(),
      modes: z.record(z.string(), BackfillModeResultSchema),
      throughput: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  datasets: z.array(z.object({ name: z.string(), records: z.number(), uri: z.string() })),
  notes: z.array(z.string()).default([]),
  /** LLM calls, retries, schema failures, failures and tokens per role over every workflow of the job (empty: none called). */
  llm: LlmUsageSchema.default({}),
});
export type RunReport = z.infer<typeof RunReportSchema>;
export type TrainingModeResult = z.infer<typeof TrainingModeResultSchema>;
