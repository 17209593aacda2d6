import { z } from 'zod';
import type { DreamGymTrainInput } from './input.ts';
import { rolloutInteractionBound } from './run-record.ts';

/** S2R's real-phase budget: the share of the real-env reference it may spend. */
export const S2R_REAL_SHARE = 0.1;

/**
 * How S2R's real budget was set. `configured`: `s2r.realBudget`. `least-real-env`: 10% of the least a real-env run
 * of the synthetic phase's iterations × groups × rollouts can spend (a reset and a step per rollout), which covers at
 * least one group. `one-group`: that does not cover one group's worst case, but one group's worst case stays within
 * 10% of the estimated real-env reference, so the budget is one group. `below-one-group`: neither covers a group; the
 * real phase runs none.
 */
export const S2rBudgetBasis = {
  configured: 'configured',
  leastRealEnv: 'least-real-env',
  oneGroup: 'one-group',
  belowOneGroup: 'below-one-group',
} as const;
export type S2rBudgetBasis = (typeof S2rBudgetBasis)[keyof typeof S2rBudgetBasis];

export const S2rBudgetSchema = z.object({
  total: z.number().int().nonnegative(),
  basis: z.enum(S2rBudgetBasis),
  /** The most real interactions one group can make: rollouts × (a reset + the step limit). */
  perGroup: z.number().int().positive(),
  /** The least a real-env run of the synthetic phase's iterations, groups and rollouts can spend. */
  leastRealEnv: z.number().int().nonnegative(),
  /**
   * What a real-env run of the synthetic phase would spend with episodes as long as the synthetic phase measured
   * (a reset plus the steps of each synthetic rollout); absent before the synthetic phase ran.
   */
  estimatedRealEnv: z.number().int().nonnegative().optional(),
});
export type S2rBudget = z.infer<typeof S2rBudgetSchema>;

/**
 * S2R's budget of real interactions for its whole real phase; undefined for the other modes. Without
 * `s2r.realBudget` it is 10% of the least a real-env run of the synthetic phase could spend — a share that can never
 * exceed 10% of any such run — unless that covers no group; then one group's worst case, provided that stays within
 * 10% of `estimatedRealEnv` (the synthetic phase's measured episodes, replayed at real cost); otherwise the 10%,
 * which runs no group (the summary says so).
 *
 * @example
 * resolveS2rBudget(input, 1_400); // { total: 128, basis: 'one-group', perGroup: 128, leastRealEnv: 256, … }
 */
export function resolveS2rBudget(input: DreamGymTrainInput, estimatedRealEnv?: number): S2rBudget | undefined {
  if (input.mode !== 's2r') return undefined;
  const perGroup = input.rolloutsPerGroup * rolloutInteractionBound(input);
  const syntheticIterations = Math.max(0, input.iterations - input.s2r.realIterations);
  const leastRealEnv = 2 * syntheticIterations * input.groupsPerIteration * input.rolloutsPerGroup;
  const base = { perGroup, leastRealEnv, ...(estimatedRealEnv === undefined ? {} : { estimatedRealEnv }) };
  if (input.s2r.realBudget !== undefined) return { ...base, total: input.s2r.realBudget, basis: S2rBudgetBasis.configured };
  const tenthOfLeast = Math.floor(S2R_REAL_SHARE * leastRealEnv);
  if (tenthOfLeast >= perGroup) return { ...base, total: tenthOfLeast, basis: S2rBudgetBasis.leastRealEnv };
  if (estimatedRealEnv !== undefined && perGroup <= S2R_REAL_SHARE * estimatedRealEnv) {
    return { ...base, total: perGroup, basis: S2rBudgetBasis.oneGroup };
  }
  return { ...base, total: tenthOfLeast, basis: S2rBudgetBasis.belowOneGroup };
}

/** What a summary reader must know about a default budget that is not simply 10% of the least real-env spend. */
export function s2rBudgetNotes(input: DreamGymTrainInput, budget: S2rBudget | undefined): string[] {
  if (!budget || input.s2r.realIterations === 0) return [];
  const worstCase = `${input.rolloutsPerGroup} rollouts × ${rolloutInteractionBound(input)}`;
  const estimate = budget.estimatedRealEnv === undefined ? 'not measured'
    : `${budget.estimatedRealEnv}, from the synthetic phase's measured episode lengths`;
  if (budget.basis === S2rBudgetBasis.oneGroup) {
    return [`S2R's default real budget is one group's worst case (${budget.perGroup} real interactions, ${worstCase}): 10% of the least `
      + `a real-env run of the synthetic phase could spend (${budget.leastRealEnv}) covers no group, and one group is `
      + `${pct(budget.perGroup, budget.estimatedRealEnv!)} of the estimated real-env reference (${estimate}); the real share against `
      + 'a real-env run that spends less than that estimate can exceed 10%'];
  }
  if (budget.total >= budget.perGroup) return [];
  return [`S2R's real budget (${budget.total} real interactions${budget.basis === S2rBudgetBasis.configured ? '' : ', 10% of the least a real-env run could spend'}) `
    + `covers less than one group's worst case (${worstCase}), so its real phase ran no group`
    + (budget.basis === S2rBudgetBasis.configured ? '' : `; one group would be more than 10% of the estimated real-env reference (${estimate})`)
    + '; raise s2r.realBudget (--real-budget)'];
}

function pct(part: number, whole: number): string {
  return `${(100 * part / whole).toFixed(1)}%`;
}
