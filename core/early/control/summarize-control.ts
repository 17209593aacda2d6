import { InvalidInputError } from '../../errors.ts';
import { meanInterval, type MeanInterval } from '../../stats/mean-interval.ts';
import type { BranchingControlSeed } from './branching-control.ts';

/** The comparison over seeds: each buffer's agreement, and the paired per-seed differences with 95% intervals. */
export interface BranchingControlSummary {
  readonly seeds: readonly number[];
  readonly agreement: { readonly experts: MeanInterval; readonly branching: MeanInterval; readonly control: MeanInterval };
  /** Mean transitions added on top of the experts by branching and by the control. */
  readonly added: { readonly branching: number; readonly control: number };
  /** Paired per seed, in agreement units (multiply by 100 for points). */
  readonly difference: {
    readonly branchingMinusControl: MeanInterval;
    readonly branchingMinusExperts: MeanInterval;
    readonly controlMinusExperts: MeanInterval;
  };
}

/**
 * Summarises `measureBranchingAgainstControl` over seeds: means with 95% t intervals, and the paired differences
 * (the same seed's experts, held-out set and catalog under every buffer).
 *
 * @example
 * const summary = summarizeBranchingControl(perSeed);
 * summary.difference.branchingMinusControl.ci95; // e.g. [0.004, 0.021]
 */
export function summarizeBranchingControl(perSeed: readonly BranchingControlSeed[]): BranchingControlSummary {
  if (perSeed.length === 0) throw new InvalidInputError('the branching/control comparison needs at least one seed');
  const of = (pick: (s: BranchingControlSeed) => number) => meanInterval(perSeed.map(pick));
  const mean = (pick: (s: BranchingControlSeed) => number) => perSeed.reduce((n, s) => n + pick(s), 0) / perSeed.length;
  return {
    seeds: perSeed.map((s) => s.seed),
    agreement: {
      experts: of((s) => s.experts.nextStateAgreement),
      branching: of((s) => s.branching.nextStateAgreement),
      control: of((s) => s.control.nextStateAgreement),
    },
    added: { branching: mean((s) => s.added.branching), control: mean((s) => s.added.control) },
    difference: {
      branchingMinusControl: of((s) => s.branching.nextStateAgreement - s.control.nextStateAgreement),
      branchingMinusExperts: of((s) => s.branching.nextStateAgreement - s.experts.nextStateAgreement),
      controlMinusExperts: of((s) => s.control.nextStateAgreement - s.experts.nextStateAgreement),
    },
  };
}
