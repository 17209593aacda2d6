import { z } from 'zod';

/** Who chose an action: the expert demonstration, the policy LLM at a temperature (`policy@0.7`), or uniform sampling. */
export const ProposerSchema = z.string().regex(/^(expert|uniform|policy@\d+(\.\d+)?)$/);

/** What the real environment did when one action was executed from an expert state. */
export const BranchOutcomeSchema = z.object({
  action: z.string(),
  proposer: ProposerSchema,
  nextState: z.string(),
  reward: z.number(),
  done: z.boolean(),
  valid: z.boolean(),
  /** The next state equals a state the expert trajectory had already been in (up to and including this one). */
  revisits: z.boolean(),
});
export type BranchOutcome = z.infer<typeof BranchOutcomeSchema>;

/**
 * One expert state s_i with its expert action's outcome and the K alternatives' outcomes, all observed in the real
 * environment (D_rollout of the paper, plus the expert transition). `snapshot` restores the state, so anyone can
 * re-execute an action from it and check the recorded next state.
 */
export const BranchRecordSchema = z.object({
  /** `<trajectoryId>#<stepIndex>`, deterministic. */
  id: z.string(),
  trajectoryId: z.string(),
  stepIndex: z.number().int().nonnegative(),
  taskId: z.string(),
  instruction: z.string(),
  /** The task's goal data, where the environment has it (the replay buffer's reward model learns from it). */
  goal: z.unknown().optional(),
  env: z.string(),
  state: z.string(),
  snapshot: z.looseObject({ env: z.string() }),
  admissibleActions: z.array(z.string()),
  expert: BranchOutcomeSchema,
  alternatives: z.array(BranchOutcomeSchema),
  /** K asked for; `alternatives.length` is smaller only when fewer distinct non-expert actions existed. */
  requestedK: z.number().int().positive(),
  /** The outcome reward the expert trajectory went on to reach. */
  episodeReward: z.number(),
});
export type BranchRecord = z.infer<typeof BranchRecordSchema>;

/** Alternatives missing from a record because the state had fewer than K to offer. */
export function shortfall(record: BranchRecord): number {
  return Math.max(0, record.requestedK - record.alternatives.length);
}
