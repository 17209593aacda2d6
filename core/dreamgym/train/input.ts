import { z } from 'zod';
import { EnvSpecSchema } from '../../ids.ts';
import { checkExperienceOptions } from './experience-options.ts';
import { OutcomeReward } from '../rl/outcome.ts';
import { DEFAULT_MAX_GRAD_NORM, DEFAULT_STEP_CREDIT, DEFAULT_STEP_CREDIT_KIND, DEFAULT_TURN_DISCOUNT } from '../rl/grpo-update.ts';
import { DEFAULT_OPTIMIZER, GrpoOptimizer, OPTIMIZER_DEFAULTS } from '../rl/optimizer.ts';
import { StepCreditKind } from '../rl/step-credit.ts';

export const TrainMode = {
  /** DreamGym: every rollout against the experience model; no real interaction after the offline data. */
  synthetic: 'synthetic',
  /** The baseline: GRPO with every rollout in the real environment. */
  real: 'real',
  /** Sim-to-real: synthetic iterations first, then a few real ones. */
  s2r: 's2r',
} as const;
export type TrainMode = (typeof TrainMode)[keyof typeof TrainMode];

/** Training tasks a run lists when it names no count (fewer where the environment's range holds fewer). */
export const DEFAULT_TRAIN_TASKS = 200;
/** Evaluation tasks a run lists when it names no count (fewer where the environment's range holds fewer). */
export const DEFAULT_EVAL_TASKS = 100;

const count = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

const BuiltinPolicyInput = z.object({
  kind: z.literal('builtin'),
  optimizer: z.enum(GrpoOptimizer).default(DEFAULT_OPTIMIZER)
    .describe('how a GRPO step follows the gradient: sgd (plain gradient ascent) or adam (its moments carry over between updates, as verl\'s AdamW)'),
  learningRate: z.number().positive().optional()
    .describe(`GRPO step size; by default ${OPTIMIZER_DEFAULTS.sgd.learningRate} for sgd, ${OPTIMIZER_DEFAULTS.adam.learningRate} for adam (chosen on a validation range: bench/dreamgym-train/tune.ts)`),
  epochs: count(1, 20, 4),
  clip: z.number().positive().max(1).default(0.2),
  maxGradNorm: z.number().positive().default(DEFAULT_MAX_GRAD_NORM).describe('the largest gradient norm of a step; a larger gradient is scaled down to it'),
  klCoefficient: z.number().min(0).max(100).optional()
    .describe(`β of the KL penalty against the previous policy; by default ${OPTIMIZER_DEFAULTS.sgd.klCoefficient} for sgd, ${OPTIMIZER_DEFAULTS.adam.klCoefficient} for adam (chosen on a validation range: bench/dreamgym-train/tune.ts); 0 turns it off`),
  turnDiscount: z.number().gt(0).max(1).default(DEFAULT_TURN_DISCOUNT)
    .describe('γ of the turn credit: a turn k turns before the end gets γ^k of its episode\'s advantage (chosen on a validation range: bench/dreamgym-train/tune.ts); 1 is plain GRPO'),
  stepCredit: z.number().min(0).max(1).default(DEFAULT_STEP_CREDIT)
    .describe('ω of the per-turn credit: a turn\'s advantage is (1 − ω)·its episode\'s + ω·its step advantage among the same task\'s turns at the same state (chosen on a validation range: bench/dreamgym-train/tune.ts); 0 is plain GRPO'),
  stepCreditKind: z.enum(StepCreditKind).default(DEFAULT_STEP_CREDIT_KIND)
    .describe('value-difference: V̂(next state) − V̂(state), V̂ the mean outcome of the group\'s turns at a state (VinePPO\'s advantage); gigpo: GiGPO\'s step-group normalised return'),
});
const LlmPolicyInput = z.object({
  kind: z.literal('llm'),
  temperature: z.number().min(0).max(2).default(1),
  maxTokens: count(16, 8192, 256),
});

/**
 * Input of the `dreamgym-train` workflow and of `runDreamGym`: everything a run needs, with defaults, checked once
 * (API, CLI, schedules and Step Functions all get the same errors).
 */
export const DreamGymTrainInputSchema = z.object({
  runId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes').optional()
    .describe('names the run in the store; the same id resumes (and never duplicates) a run'),
  env: EnvSpecSchema.default('shop').describe('"shop" or the base URL of an AgentGym server'),
  shop: z.object({
    /** The catalog seed; 1 by default, as `reverie dreamgym offline`, so the offline data describes the same shop. */
    seed: z.number().int().default(1),
    catalogSize: count(11, 1_000_000, 1000),
    maxSteps: count(1, 100, 15),
  }).prefault({}),
  mode: z.enum(TrainMode).default('synthetic'),
  // At most 300: each iteration adds about 60 Step Functions history events, and one execution holds at most 25,000.
  iterations: count(1, 300, 10),
  groupsPerIteration: count(1, 10_000, 16).describe('GRPO groups (tasks) per iteration'),
  rolloutsPerGroup: count(2, 64, 8).describe('n: rollouts per task'),
  maxConcurrency: count(1, 1000, 4).describe('groups in flight at once (the Map state)'),
  rolloutConcurrency: count(1, 64, 8).describe('rollouts in flight within one group'),
  maxFailedRollouts: z.number().int().min(0).optional().describe('failed rollouts a group tolerates; ⌊n/4⌋ by default'),
  seed: z.number().int().default(0),
  outcome: z.enum(OutcomeReward).default('success')
    .describe('what GRPO advantages are computed from: task success (1 or 0, DreamGym\'s outcome reward) or the environment\'s own final reward (WebShop\'s partial score); curriculum task values keep the environment\'s reward'),
  tasks: z.object({
    trainOffset: z.number().int().min(0).optional().describe('first training task; the environment\'s offline range by default'),
    trainCount: z.number().int().min(1).max(1_000_000).optional()
      .describe(`training tasks; ${DEFAULT_TRAIN_TASKS} by default, or all of the training range where it holds fewer`),
    evalOffset: z.number().int().min(0).optional()
      .describe('first held-out evaluation task; the environment\'s evaluation range by default (1,000,000 for shop, 0 for WebShop)'),
    evalCount: z.number().int().min(1).max(100_000).optional()
      .describe(`held-out evaluation tasks; ${DEFAULT_EVAL_TASKS} by default, or all of the evaluation range where it holds fewer (BabyAI's 80)`),
    trainStride: z.number().int().min(1).optional().describe('step between training tasks (trainOffset, trainOffset + stride, …); 1 by default'),
    evalStride: z.number().int().min(1).optional().describe('step between evaluation tasks (evalOffset, evalOffset + stride, …); 1 by default'),
  }).prefault({}),
  policy: z.discriminatedUnion('kind', [BuiltinPolicyInput, LlmPolicyInput]).prefault({ kind: 'builtin' }),
  experienceModel: z.object({
    kind: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an experience model kind, e.g. builtin or llm').default('builtin'),
    options: z.record(z.string(), z.unknown()).default({}),
  }).prefault({}).superRefine(checkExperienceOptions),
  trainer: z.object({
    kind: z.enum(['auto', 'builtin', 'external', 'none']).default('auto'),
    handoff: z.enum(['auto', 'store', 'task-token']).default('auto')
      .describe('how an external trainer answers: SendTaskSuccess to a task token (AWS), or a reply object in the store (local); auto picks by where the steps run'),
    queue: z.string().default('trainer'),
    format: z.enum(['parquet', 'jsonl']).default('parquet')
      .describe('what the external trainer reads: Parquet in verl\'s RL schema, or the batch\'s trajectory JSONL'),
    timeoutSeconds: count(1, 7 * 24 * 3600, 3600),
    pollSeconds: z.number().positive().max(60).default(2),
  }).prefault({}),
  curriculum: z.object({
    enabled: z.boolean().default(true),
    syntheticShare: z.number().min(0).max(1).default(0.25).describe('λ: the largest share of curriculum tasks per iteration'),
    generator: z.enum(['auto', 'builtin', 'llm']).default('auto'),
    grouping: z.enum(['grpo', 'ppo']).default('grpo').describe('ppo: value tasks by clusters of their embeddings'),
    clusters: count(1, 1000, 8),
    seedTasks: count(1, 1000, 4),
    variationsPerSeed: count(1, 100, 8),
    keepPerSeed: count(1, 100, 2),
    poolSize: count(1, 100_000, 64),
  }).prefault({}),
  replay: z.object({
    enrich: z.boolean().default(true).describe('append synthetic on-policy transitions to the replay buffer'),
  }).prefault({}),
  s2r: z.object({
    realIterations: count(1, 1000, 1),
    realGroups: z.number().int().min(1).optional().describe('groups per real iteration at most; groupsPerIteration by default'),
    realBudget: z.number().int().min(0).optional()
      .describe('real interactions the real phase may spend in all, enforced by its counting boundaries (a real iteration runs only the groups the rest of the budget covers in the worst case); by default 10% of the least a real-env run with the synthetic phase\'s iterations, groups and rollouts can spend (a reset and a step per rollout), or one group\'s worst case when that covers none and one group is within 10% of the real-env spend estimated from the synthetic phase\'s measured episodes'),
  }).prefault({}),
  evaluation: z.object({
    every: count(1, 1000, 1).describe('evaluate on the held-out real tasks every this many iterations (and at the end)'),
    concurrency: count(1, 256, 8).describe('episodes run at once inside one evaluation chunk'),
    chunkSize: count(1, 100_000, 100).describe('held-out tasks per evaluation chunk (one function call each; at most 1,000 chunks, so larger evaluations get larger chunks)'),
  }).prefault({}),
});
export type DreamGymTrainInput = z.infer<typeof DreamGymTrainInputSchema>;
export type DreamGymTrainInputRaw = z.input<typeof DreamGymTrainInputSchema>;
