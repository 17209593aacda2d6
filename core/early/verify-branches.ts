import type { EnvironmentSession, EnvironmentSnapshot } from '../env/environment.ts';
import type { BranchRecord } from './branch-record.ts';

export interface ReexecutionMismatch {
  readonly id: string;
  readonly action: string;
  readonly recorded: string;
  readonly observed: string;
}

/**
 * Re-executes recorded actions in the real environment: for each record, restores its snapshot, executes the expert
 * action and every alternative again, and compares the next state with the recorded one. The mismatches (empty when
 * every recorded next state is what the environment returns) come back for the caller to report.
 *
 * @example
 * const mismatches = await reexecuteBranches(await shop.open(), sample);
 * mismatches.length; // 0
 */
export async function reexecuteBranches(session: EnvironmentSession, records: readonly BranchRecord[]): Promise<{ checked: number; mismatches: ReexecutionMismatch[] }> {
  const mismatches: ReexecutionMismatch[] = [];
  let checked = 0;
  for (const record of records) {
    for (const outcome of [record.expert, ...record.alternatives]) {
      await session.restore(record.snapshot as EnvironmentSnapshot);
      const observed = (await session.step(outcome.action)).observation.text;
      checked++;
      if (observed !== outcome.nextState) mismatches.push({ id: record.id, action: outcome.action, recorded: outcome.nextState, observed });
    }
  }
  return { checked, mismatches };
}
