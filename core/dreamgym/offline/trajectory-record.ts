import { z } from 'zod';
import { TaskSchema } from '../../env/environment.ts';
import { PolicyKind } from '../../env/policy.ts';

/** One real transition: the abstract state before, the action, and what the environment answered. */
export const TransitionSchema = z.object({
  state: z.string(),
  action: z.string(),
  nextState: z.string(),
  reward: z.number(),
  done: z.boolean(),
  valid: z.boolean(),
  /** The actions that were admissible in `state`, where the environment lists them. */
  admissibleActions: z.array(z.string()).optional(),
});
export type Transition = z.infer<typeof TransitionSchema>;

/**
 * One real episode as it is stored (a JSONL line): DreamGym's offline data, the seed of the replay buffer and of
 * the experience model's training set. `id` is deterministic (`shop-expert-000123`) so a re-run rewrites, never
 * duplicates.
 */
export const TrajectoryRecordSchema = z.object({
  id: z.string().min(1),
  /** The environment as the user named it: `shop` or an AgentGym base URL. */
  env: z.string().min(1),
  task: TaskSchema,
  policy: z.enum(PolicyKind),
  /** The seed the episode's policy randomness came from. */
  seed: z.number().int(),
  steps: z.array(TransitionSchema).min(1),
  /** The outcome reward: the reward of the last step. */
  finalReward: z.number(),
  success: z.boolean(),
});
export type TrajectoryRecord = z.infer<typeof TrajectoryRecordSchema>;
