import type { TrajectoryRecord } from '../offline/trajectory-record.ts';
import type { BufferedTransition } from '../experience/experience-model.ts';
import { transitionId, type StoredTransition } from './stored-transition.ts';

/**
 * The buffer's view of a trajectory: one transition per step, with deterministic ids, the task it served, the
 * episode's outcome reward and (where the task has one) its goal.
 *
 * @example
 * await buffer.append(record.id, trajectoryTransitions(record, 'rollout'));
 */
export function trajectoryTransitions(record: TrajectoryRecord, source: BufferedTransition['source']): StoredTransition[] {
  return record.steps.map((step, stepIndex) => ({
    ...step,
    id: transitionId(record.id, stepIndex),
    trajectoryId: record.id,
    taskId: record.task.id,
    instruction: record.task.instruction,
    stepIndex,
    source,
    episodeReward: record.finalReward,
    ...(record.task.goal === undefined ? {} : { goal: record.task.goal }),
  }));
}
