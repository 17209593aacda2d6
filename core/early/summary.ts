import { z } from 'zod';
import { LlmUsageSchema } from '../llm/accounting.ts';
import { DivergenceSchema } from './branch-chunk.ts';
import { MalformedRecordSchema } from './plan.ts';

/** At most this many diverged trajectories and malformed records are named in the summary; all are counted. */
export const REPORTED_PROBLEMS = 50;

/**
 * What an early-experience run produced: the workflow's output, `early/<runId>/summary.json`, and what
 * `reverie early run --json` prints.
 */
export const EarlySummarySchema = z.object({
  runId: z.string(),
  env: z.string(),
  dataset: z.string(),
  k: z.number().int(),
  /** Expert trajectories and states branched (diverged trajectories excluded). */
  expertTrajectories: z.number().int(),
  expertStates: z.number().int(),
  alternatives: z.number().int(),
  /** Expert states with fewer than K distinct non-expert actions to try (all of them were used), and the shortfall. */
  statesShortOfK: z.number().int(),
  missingAlternatives: z.number().int(),
  iwmRecords: z.number().int(),
  srRecords: z.number().int(),
  /** Object URIs of the committed datasets. */
  datasets: z.object({ iwm: z.string(), sr: z.string() }),
  alternativesFrom: z.string(),
  reflectionsBy: z.string(),
  summarisedTargets: z.number().int(),
  divergedCount: z.number().int(),
  diverged: z.array(DivergenceSchema),
  malformedCount: z.number().int(),
  malformed: z.array(MalformedRecordSchema),
  /** Present when the run appended its transitions to DreamGym's replay buffer. */
  replay: z.object({ buffer: z.string(), appended: z.number().int(), shards: z.number().int() }).optional(),
  /** LLM calls, retries, schema failures, failures and tokens per role, measured by the clients during this run's steps. */
  llm: LlmUsageSchema.default({}),
});
export type EarlySummary = z.infer<typeof EarlySummarySchema>;
