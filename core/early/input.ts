import { z } from 'zod';
import { EnvSpecSchema, IdSchema } from '../ids.ts';

const id = IdSchema;

/** Where alternative actions come from. `auto`: the policy LLM when one is configured, otherwise uniform. */
export const AlternativeSource = { auto: 'auto', uniform: 'uniform', policy: 'policy' } as const;
export type AlternativeSource = (typeof AlternativeSource)[keyof typeof AlternativeSource];

/** Who writes the self-reflections. `auto`: the teacher LLM when one is configured, otherwise the grounded template. */
export const ReflectionSource = { auto: 'auto', teacher: 'teacher', template: 'template' } as const;
export type ReflectionSource = (typeof ReflectionSource)[keyof typeof ReflectionSource];

/** Who summarises long next states in the IWM dataset. `auto`: the teacher LLM when configured, else extractive. */
export const SummariserChoice = { auto: 'auto', extract: 'extract', teacher: 'teacher' } as const;
export type SummariserChoice = (typeof SummariserChoice)[keyof typeof SummariserChoice];

/**
 * Input of the `early-experience` workflow (and of `runEarlyExperience`): which expert demonstrations to branch
 * from, how many alternatives per expert state, where they come from, and how to fan the work out.
 */
export const EarlyExperienceInputSchema = z.object({
  env: EnvSpecSchema.optional().describe('the real environment: "shop" or the base URL of an AgentGym server; the dataset\'s by default, else "shop"'),
  dataset: id.optional().describe('offline dataset holding the expert trajectories; without one, `shop` expert demonstrations are generated'),
  experts: z.number().int().min(1).max(100_000).default(100).describe('expert trajectories to branch from (the first ones of the dataset)'),
  k: z.number().int().min(1).max(64).default(4).describe('alternative actions per expert state'),
  alternatives: z.enum(AlternativeSource).default('auto').describe('where alternatives come from: policy LLM (temperature sampling, then uniform fill) or uniform over admissible actions'),
  temperatures: z.array(z.number().min(0).max(2)).min(1).max(8).default([0.7, 1.0, 1.3]).describe('policy sampling temperatures, used in turn'),
  reflections: z.enum(ReflectionSource).default('auto').describe('who writes the self-reflections: teacher LLM or grounded template'),
  summariseOver: z.number().int().min(80).optional().describe('summarise IWM target states longer than this many characters'),
  summariser: z.enum(SummariserChoice).default('auto').describe('who summarises long states'),
  chunkSize: z.number().int().min(1).max(1000).default(16).describe('expert states per chunk (whole trajectories, so a chunk may hold a few more)'),
  maxConcurrency: z.number().int().min(1).max(64).default(4).describe('chunks branched at once (the Map concurrency)'),
  llmConcurrency: z.number().int().min(1).max(64).default(4).describe('LLM calls in flight within one chunk'),
  seed: z.number().int().min(0).default(0).describe('seed of the uniform sampling (and of generated demonstrations)'),
  shopSeed: z.number().int().min(0).default(0).describe('catalog seed of the built-in shop'),
  replayBuffer: IdSchema.optional()
    .describe('also append the collected alternative transitions (source "branch") to this DreamGym replay buffer'),
  runId: id.optional().describe('store folder of this run under early/; derived from the settings by default'),
});
export type EarlyExperienceInput = z.infer<typeof EarlyExperienceInputSchema>;

/** The resolved recipe every later state gets from the plan: defaults filled in, LLM choices decided, models named. */
export const EarlyJobSchema = z.object({
  runId: z.string(),
  env: z.string(),
  dataset: z.string(),
  k: z.number().int(),
  seed: z.number().int(),
  shopSeed: z.number().int(),
  /** `policy:<model>` when alternatives are sampled from the policy LLM, else undefined (uniform only). */
  policyModel: z.string().optional(),
  temperatures: z.array(z.number()),
  /** The teacher model that writes reflections; undefined means the grounded template. */
  reflectionModel: z.string().optional(),
  summariseOver: z.number().int().optional(),
  /** The teacher model that summarises long states; undefined means extractive. */
  summariserModel: z.string().optional(),
  llmConcurrency: z.number().int(),
  /** The DreamGym replay buffer the branch transitions are appended to, if any. */
  replayBuffer: z.string().optional(),
});
export type EarlyJob = z.infer<typeof EarlyJobSchema>;

/** A chunk: a range of whole expert trajectories inside one part of the offline dataset. */
export const BranchChunkSchema = z.object({
  index: z.number().int().nonnegative(),
  part: z.string(),
  /** First record (index among the part's well-formed records), inclusive. */
  start: z.number().int().nonnegative(),
  /** Last record, exclusive. */
  end: z.number().int().nonnegative(),
  /** Expert states (steps of the selected trajectories) in the range. */
  states: z.number().int().nonnegative(),
});
export type BranchChunk = z.infer<typeof BranchChunkSchema>;
