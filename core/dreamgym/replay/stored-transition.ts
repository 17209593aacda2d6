import { z } from 'zod';
import { TransitionSchema } from '../offline/trajectory-record.ts';
import type { BufferedTransition } from '../experience/experience-model.ts';

/**
 * One JSONL line of a replay shard: a `BufferedTransition`, plus the task's goal data when the environment has it
 * (the built-in experience model's reward model learns from goal and outcome together).
 */
export const StoredTransitionSchema = TransitionSchema.extend({
  id: z.string().min(1),
  trajectoryId: z.string().min(1),
  taskId: z.string(),
  instruction: z.string(),
  stepIndex: z.number().int().nonnegative(),
  source: z.enum(['offline', 'rollout', 'branch']),
  episodeReward: z.number().optional(),
  goal: z.unknown().optional(),
});

export type StoredTransition = BufferedTransition & { goal?: unknown };

/** The transition id the interface prescribes: `<trajectoryId>#<stepIndex>`. */
export function transitionId(trajectoryId: string, stepIndex: number): string {
  return `${trajectoryId}#${stepIndex}`;
}
