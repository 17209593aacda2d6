import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import type { Task } from '../../../env/environment.ts';
import { defaultTaskRanges } from '../../../env/task-ranges.ts';
import { checkRangeHolds, describeSessionRange, listRangeTasks, rangeTaskCount, userRange, type SessionRange } from '../../../env/session-range.ts';
import type { EnvironmentKind } from '../../../env/environment-kind.ts';
import type { InteractionBoundary } from '../../../env/interaction-boundary.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';
import { defaultOffline, ensureDefaultOfflineDataset } from '../../setup/default-offline.ts';
import type { TrainDeps } from '../deps.ts';
import { openExperienceModel } from '../experience-models.ts';
import { DEFAULT_EVAL_TASKS, DEFAULT_TRAIN_TASKS, type DreamGymTrainInput } from '../input.ts';
import { environmentBoundary, RunTasksSchema } from '../run-environment.ts';
import type { RunRecord } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';

export const RunSetupSchema = z.object({
  /** Real accesses spent listing the training tasks and the offline tasks evaluation is de-duplicated against. */
  setupInteractions: z.number().int().nonnegative(),
  /** Real accesses spent listing the held-out evaluation tasks (added to the run's evaluation interactions). */
  evaluationInteractions: z.number().int().nonnegative(),
  /** Real transitions in the offline data the experience model learned from (0 for a real-environment run). */
  offlineInteractions: z.number().int().nonnegative(),
  evaluationTasks: z.number().int().nonnegative(),
  /** Listed evaluation tasks left out because their goal is also a training or offline goal. */
  evaluationDuplicatesRemoved: z.number().int().nonnegative(),
});
export type RunSetup = z.infer<typeof RunSetupSchema>;

/** A run's training and evaluation tasks: where they come from and how many. */
export interface RunTaskPlan {
  readonly trainRange: SessionRange;
  readonly trainCount: number;
  readonly evalRange: SessionRange;
  readonly evalCount: number;
}

const TRAIN_FLAG = '--train-tasks, tasks.trainCount';
const EVAL_FLAG = '--eval-tasks, tasks.evalCount';

/**
 * The ranges a run's tasks come from (the environment's, or the user's offsets and strides) and their counts (the
 * user's, else the defaults capped at the ranges' sizes), checked without touching the environment: a count larger
 * than its range is an InvalidInputError naming the flag. `initialiseRun` calls it before anything is stored, and
 * stores the counts it gives, so a run resumes with the counts it started with.
 */
export function runTaskPlan(input: DreamGymTrainInput): RunTaskPlan {
  const ranges = defaultTaskRanges(input.env);
  const trainRange = userRange(ranges.offline, { offset: input.tasks.trainOffset, stride: input.tasks.trainStride }, 'training');
  const evalRange = userRange(ranges.evaluation, { offset: input.tasks.evalOffset, stride: input.tasks.evalStride }, 'evaluation');
  const trainCount = rangeTaskCount(trainRange, input.tasks.trainCount, DEFAULT_TRAIN_TASKS);
  const evalCount = rangeTaskCount(evalRange, input.tasks.evalCount, DEFAULT_EVAL_TASKS);
  checkRangeHolds(trainRange, trainCount, 'training', TRAIN_FLAG);
  checkRangeHolds(evalRange, evalCount, 'evaluation', EVAL_FLAG);
  return { trainRange, trainCount, evalRange, evalCount };
}

/**
 * Everything a run takes from the real world before its first iteration, through counting boundaries: the training
 * tasks, the held-out evaluation tasks (without goals that also occur among training tasks or, for a kind whose
 * tasks recur across indexes, among the default offline tasks), and, for synthetic and s2r runs, the offline data the
 * experience model learns from. Stored once; later steps read the task lists from the store and never list them from
 * the environment again. A run left with no evaluation task (all duplicates, or none listed) is refused before
 * anything is stored, naming the ranges to change.
 *
 * @example
 * const setup = await setUpRun(record, deps); // { setupInteractions: 2, evaluationTasks: 99, … }
 */
export async function setUpRun(record: RunRecord, deps: TrainDeps): Promise<RunSetup> {
  const keys = runKeys(record.runId);
  const existing = await getJsonIfExists(deps.store, keys.setup, RunSetupSchema);
  if (existing) return existing;
  const { input } = record;
  const { trainRange, trainCount, evalRange, evalCount } = runTaskPlan(input);
  const setup = await environmentBoundary(input, deps, 'setup');
  const train = await listRangeTasks(setup.env, trainRange, trainCount, 'training', TRAIN_FLAG);
  const kind = environmentKind(input.env);
  const offline = kind.repeatsTasks ? await defaultOfflineTasks(input.env, setup) : [];
  const evaluation = await environmentBoundary(input, deps, 'evaluation');
  const listed = await listRangeTasks(evaluation.env, evalRange, evalCount, 'evaluation', EVAL_FLAG);
  const seen = new Set([...train, ...offline].map((t) => taskKey(t, kind)));
  const held = listed.filter((t) => !seen.has(taskKey(t, kind)));
  if (held.length === 0) throw noEvaluationTasks({ listed: listed.length, evaluation: describeSessionRange(evalRange), train: train.length, training: describeSessionRange(trainRange), offline: offline.length > 0 });
  await writeOnce(deps.store, keys.trainTasks, { tasks: train }, RunTasksSchema);
  const offlineInteractions = input.mode === 'real' ? 0 : await prepareOfflineData(record, deps);
  await writeOnce(deps.store, keys.evaluationTasks, { tasks: held }, RunTasksSchema);
  return writeOnce(deps.store, keys.setup, {
    setupInteractions: setup.counts().total,
    evaluationInteractions: evaluation.counts().total,
    offlineInteractions,
    evaluationTasks: held.length,
    evaluationDuplicatesRemoved: listed.length - held.length,
  }, RunSetupSchema);
}

/**
 * The tasks of the environment's default offline data, listed for de-duplication where the kind can hold one task at
 * two indexes (`repeatsTasks`: the shop's goals recur across its ranges); elsewhere disjoint ranges differ.
 */
function defaultOfflineTasks(env: string, setup: InteractionBoundary): Promise<Task[]> {
  const { range, taskCount } = defaultOffline(env);
  return listRangeTasks(setup.env, range, taskCount, 'offline');
}

/** Why a run has nothing to evaluate on, and what to change. */
function noEvaluationTasks(c: { listed: number; evaluation: string; train: number; training: string; offline: boolean }): InvalidInputError {
  const change = 'set the evaluation tasks apart (--eval-offset, tasks.evalOffset) or train on other tasks (--train-offset, tasks.trainOffset, --train-tasks)';
  if (c.listed === 0) return new InvalidInputError(`the environment lists no evaluation task ${c.evaluation}; choose an evaluation range it has (--eval-offset, tasks.evalOffset)`);
  const against = `the ${c.train} training tasks ${c.training}${c.offline ? ' or the default offline tasks' : ''}`;
  return new InvalidInputError(`no evaluation task is left: all ${c.listed} evaluation tasks ${c.evaluation} were removed as duplicates of goals among ${against}, `
    + `so real success could not be measured; ${change}`);
}

/**
 * A task's identity for de-duplication: the environment kind's key (the goal for `shop`), else its instruction,
 * else (an AgentGym task listed before the server told its instruction) its id.
 */
export function taskKey(task: Task, kind: Pick<EnvironmentKind, 'taskKey'>): string {
  const own = kind.taskKey?.(task);
  if (own !== undefined) return own;
  const instruction = task.instruction.trim().toLowerCase();
  return instruction === '' ? `id:${task.id}` : `instruction:${instruction}`;
}

/** The default offline data (generated on first use, a set-up access) and the experience model's offline size. */
async function prepareOfflineData(record: RunRecord, deps: TrainDeps): Promise<number> {
  const { input } = record;
  const { kind, options } = input.experienceModel;
  if (kind === 'builtin' && options.offlineDataset === undefined && options.buffer === undefined) {
    await ensureDefaultOfflineDataset(deps.store, input.env, input.shop.seed, deps.log);
  }
  const binding = await openExperienceModel(kind, {
    deps, runId: record.runId, envSpec: input.env, seed: input.seed, shopSeed: input.shop.seed, options,
  });
  return binding.offlineInteractions?.() ?? 0;
}
