/** The share of cases that agree; 0 of 0 reads as 0 (not NaN) so reports stay valid JSON. */
export function share(agree: number, total: number): number {
  return total === 0 ? 0 : agree / total;
}

export interface KindAgreement {
  readonly transitions: number;
  readonly nextStateAgreement: number;
  /** Predicted valid flag equals the real one. */
  readonly invalidAgreement: number;
  readonly terminalTransitions: number;
  /** Terminal reward agreement over this kind's real done steps. */
  readonly rewardAgreement: number;
}

/** Agreement on held-out (state, action) pairs the model's buffer does not hold. */
export interface UnseenAgreement {
  readonly transitions: number;
  readonly nextStateAgreement: number;
  readonly terminalTransitions: number;
  readonly rewardAgreement: number;
}

export interface Disagreement {
  readonly trajectoryId: string;
  readonly stepIndex: number;
  readonly action: string;
  readonly kind: string;
  readonly differences: readonly string[];
  readonly predicted: string;
  readonly real: string;
}

/** What `evaluateConsistency` measured; every agreement is a share in [0, 1]. */
export interface ConsistencyReport {
  readonly model: string;
  /** The state-agreement definition used (`shop` or `text`). */
  readonly agreement: string;
  readonly transitions: number;
  /** Predicted next state agrees with the real one on the abstract state. */
  readonly nextStateAgreement: number;
  /** Terminal reward agreement: at real done steps, predicted done and |predicted − real reward| ≤ tolerance. */
  readonly rewardAgreement: number;
  /** Predicted valid flag equals the real one, over all transitions. */
  readonly invalidAgreement: number;
  /** The same as `invalidAgreement` (its earlier name). */
  readonly invalidActionAgreement: number;
  /** Predicted next state text equals the real text exactly (after trimming). */
  readonly strictTextAgreement: number;
  /** Predicted done flag equals the real one, over all transitions. */
  readonly doneAgreement: number;
  readonly terminalTransitions: number;
  readonly rewardTolerance: number;
  /** Mean |predicted − real| reward at real done steps (those the model answered without throwing). */
  readonly terminalRewardError: number;
  /** At real done steps: both call it a success (reward ≥ 1) or neither does. */
  readonly successAgreement: number;
  readonly invalidActions: { readonly real: number; readonly predicted: number; readonly recall: number; readonly precision: number };
  /** Agreement by the real transition's kind, `<state page>→<real next page>`. */
  readonly byKind: Readonly<Record<string, KindAgreement>>;
  /** Agreement on pairs absent from the buffer; undefined when the caller gave no `seen` test. */
  readonly unseen: UnseenAgreement | undefined;
  /** Steps where the model threw (counted as disagreeing on everything). */
  readonly failures: { readonly count: number; readonly messages: readonly string[] };
  readonly latencyMs: { readonly mean: number; readonly p50: number; readonly p90: number; readonly p99: number };
  /** The first disagreements, for reading what went wrong. */
  readonly disagreements: readonly Disagreement[];
}

/** The p-th percentile (0–100) of values, by the nearest-rank method. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
