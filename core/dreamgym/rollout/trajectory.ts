import { z } from 'zod';

/**
 * A trajectory as habit 8 of STYLE.md wants it: the messages of one episode, its outcome reward, metrics and
 * metadata. Messages are chat messages (`role`, `content`) so any SFT/RL trainer reads them, told apart by `type`:
 * context turns (the system prompt, observations) are what the policy saw; trainable turns are what it wrote, with
 * the transition it caused, so GRPO and PPO (per-turn rewards) can both be computed from the same line.
 */
export const ContextMessageSchema = z.object({
  type: z.literal('context'),
  role: z.enum(['system', 'user']),
  content: z.string(),
});
export type ContextMessage = z.infer<typeof ContextMessageSchema>;

export const TrainableMessageSchema = z.object({
  type: z.literal('trainable'),
  role: z.literal('assistant'),
  content: z.string(),
  /** The action parsed from `content`; null when the answer had none (an invalid action). */
  action: z.string().nullable(),
  /** The abstract state the action was taken in, and the one it led to. */
  state: z.string(),
  nextState: z.string(),
  /** The step's reward (outcome rewards: non-zero only on the last turn). */
  reward: z.number(),
  valid: z.boolean(),
  done: z.boolean(),
  /** The actions offered in `state`, where the session knows them (the built-in policy's softmax needs them). */
  admissibleActions: z.array(z.string()).optional(),
  /** log π(action | state) under the policy that acted, for importance ratios (PPO, clipped GRPO). */
  logProb: z.number().optional(),
});
export type TrainableMessage = z.infer<typeof TrainableMessageSchema>;

export const TrajectoryMessageSchema = z.discriminatedUnion('type', [ContextMessageSchema, TrainableMessageSchema]);
export type TrajectoryMessage = z.infer<typeof TrajectoryMessageSchema>;

export const RolloutSource = { synthetic: 'synthetic', real: 'real' } as const;
export type RolloutSource = (typeof RolloutSource)[keyof typeof RolloutSource];

export const TrajectorySchema = z.object({
  /** Deterministic: `<run>/<iteration>/<group>/<rollout>`, so a re-run names the same trajectory the same. */
  id: z.string().min(1),
  messages: z.array(TrajectoryMessageSchema),
  /** The outcome reward: the reward of the last step. */
  reward: z.number(),
  /** GRPO's group-normalised advantage, once the group is complete. */
  advantage: z.number().optional(),
  metrics: z.object({
    steps: z.number().int().nonnegative(),
    success: z.boolean(),
    invalidActions: z.number().int().nonnegative(),
    /** Policy answers with no parseable action. */
    unparseableActions: z.number().int().nonnegative(),
    /** Predicted states the session could not read (synthetic rollouts only). */
    unreadableStates: z.number().int().nonnegative(),
    truncated: z.boolean(),
  }),
  metadata: z.object({
    taskId: z.string(),
    instruction: z.string(),
    /** The task as given (goal included), so a trainer or the curriculum needs nothing else. */
    task: z.unknown(),
    source: z.enum(RolloutSource),
    policyVersion: z.string(),
    rollout: z.number().int().nonnegative(),
    seed: z.number().int(),
  }),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** The trainable turns of a trajectory, in order. */
export function trainableTurns(trajectory: { readonly messages: readonly TrajectoryMessage[] }): TrainableMessage[] {
  return trajectory.messages.filter((m): m is TrainableMessage => m.type === 'trainable');
}
