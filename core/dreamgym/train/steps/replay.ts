import { z } from 'zod';
import { recordLlmUsage } from '../../../llm/usage-records.ts';
import type { BufferedTransition } from '../../experience/experience-model.ts';
import { readCommittedTrajectories } from '../../rollout/group-store.ts';
import { trainableTurns } from '../../rollout/trajectory.ts';
import type { Trajectory } from '../../rollout/trajectory.ts';
import type { TrainDeps } from '../deps.ts';
import { openExperienceModel } from '../experience-models.ts';
import { iterationSource, readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';

export const ReplayResultSchema = z.object({
  iteration: z.number().int().min(1),
  appended: z.number().int().nonnegative(),
  /** Why nothing was appended, when nothing was. */
  skipped: z.string().optional(),
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

/**
 * DreamGym's replay enrichment: the iteration's synthetic on-policy transitions go into the replay buffer the
 * experience model retrieves from, so buffer and policy co-evolve. Skipped (and said so) for real iterations, when
 * the run turned enrichment off (the ablation), or when the experience model has no buffer. Appends are idempotent
 * per transition id, and the result is written once per iteration.
 *
 * @example
 * await appendToReplay({ runId, iteration: 1 }, deps); // { appended: 640 }
 */
export function appendToReplay(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<ReplayResult> {
  return recordLlmUsage(deps.store, runKeys(input.runId).llm(input.iteration, 'replay'), () => enrichReplay(input, deps));
}

async function enrichReplay(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<ReplayResult> {
  const { runId, iteration } = input;
  const run = await readRun(deps.store, runId);
  const keys = runKeys(runId);
  const record = (appended: number, skipped?: string) =>
    writeOnce(deps.store, keys.replay(iteration), { iteration, appended, ...(skipped ? { skipped } : {}) }, ReplayResultSchema);
  if (!run.input.replay.enrich) return record(0, 'replay enrichment is off for this run');
  if (iterationSource(run.input, iteration) === 'real') return record(0, 'real iteration: no synthetic experience to add');
  const { kind, options } = run.input.experienceModel;
  const binding = await openExperienceModel(kind, { deps, runId, envSpec: run.input.env, seed: run.input.seed, shopSeed: run.input.shop.seed, options });
  if (!binding.appendTransitions) return record(0, `experience model "${kind}" has no replay buffer to enrich`);
  const trajectories = await readCommittedTrajectories(deps.store, keys.batch(iteration));
  const shardId = `rollout-${runId}-${String(iteration).padStart(6, '0')}`;
  const { appended } = await binding.appendTransitions(shardId, trajectories.flatMap(toTransitions));
  return record(appended);
}

/** The steps of a synthetic trajectory as buffer transitions, leaving out unparseable actions and unreadable states. */
export function toTransitions(trajectory: Trajectory): BufferedTransition[] {
  const turns = trainableTurns(trajectory);
  const usable = trajectory.metrics.unreadableStates > 0 ? turns.slice(0, -1) : turns;
  return usable.flatMap((turn, stepIndex) => turn.action === null ? [] : [{
    id: `${trajectory.id}#${stepIndex}`,
    trajectoryId: trajectory.id,
    taskId: trajectory.metadata.taskId,
    instruction: trajectory.metadata.instruction,
    stepIndex,
    source: 'rollout' as const,
    episodeReward: trajectory.reward,
    state: turn.state,
    action: turn.action,
    nextState: turn.nextState,
    reward: turn.reward,
    done: turn.done,
    valid: turn.valid,
    ...(turn.admissibleActions ? { admissibleActions: turn.admissibleActions } : {}),
  }]);
}
