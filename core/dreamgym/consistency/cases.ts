import type { Task } from '../../env/environment.ts';
import type { HistoryStep } from '../experience/experience-model.ts';
import type { TrajectoryRecord, Transition } from '../offline/trajectory-record.ts';

/** One held-out real transition with the context an experience model is given at that step. */
export interface ConsistencyCase {
  readonly task: Task;
  readonly history: readonly HistoryStep[];
  readonly transition: Transition;
  readonly trajectoryId: string;
  readonly stepIndex: number;
}

/**
 * Every step of real trajectories as a consistency case, with the history of its own episode.
 *
 * @example
 * const cases = consistencyCases(heldOut.records); // one per step
 */
export function consistencyCases(records: readonly TrajectoryRecord[]): ConsistencyCase[] {
  return records.flatMap((record) => record.steps.map((transition, stepIndex) => ({
    task: record.task,
    history: record.steps.slice(0, stepIndex).map((s) => ({ state: s.state, action: s.action })),
    transition,
    trajectoryId: record.id,
    stepIndex,
  })));
}
