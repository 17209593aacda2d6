import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import { getJsonIfExists } from '../../store/json.ts';
import { TaskSchema } from '../../env/environment.ts';
import type { EnvironmentFactory, Task } from '../../env/environment.ts';
import { InteractionBoundary } from '../../env/interaction-boundary.ts';
import type { AccessPhase } from '../../env/interaction-boundary.ts';
import { environmentLabel, openEnvironment } from '../../env/open-environment.ts';
import { memoised } from './deps.ts';
import type { TrainDeps } from './deps.ts';
import type { DreamGymTrainInput } from './input.ts';
import { iterationSource } from './run-record.ts';
import { runKeys } from './run-keys.ts';

/**
 * The run's real environment behind a fresh counting boundary for one step: `phase` says what the accesses are
 * for, and a `synthetic` boundary refuses every access. The environment itself is built once per process (a
 * `shop` catalog and its search index take a moment) and is reachable only through a boundary.
 *
 * @example
 * const boundary = await environmentBoundary(run.input, deps, 'evaluation');
 * const session = await boundary.env.open();
 * boundary.counts().total; // the evaluation's real interactions
 */
export async function environmentBoundary(input: DreamGymTrainInput, deps: TrainDeps, phase: AccessPhase, limit?: number): Promise<InteractionBoundary> {
  if (phase === 'synthetic') return new InteractionBoundary(refusedEnvironment(input.env), phase);
  return new InteractionBoundary(await realEnvironment(input, deps), phase, { limit });
}

/**
 * The boundary of iteration `iteration`: refusing for a synthetic iteration, counting `training` for a real one,
 * and refusing beyond `limit` counted accesses when one is given (a group of S2R's budgeted real phase).
 */
export function iterationBoundary(input: DreamGymTrainInput, iteration: number, deps: TrainDeps, limit?: number): Promise<InteractionBoundary> {
  return environmentBoundary(input, deps, iterationSource(input, iteration) === 'synthetic' ? 'synthetic' : 'training', limit);
}

/** The run's real environment, opened once per process for each spec and each set of options it is opened with. */
function realEnvironment(input: DreamGymTrainInput, deps: TrainDeps): Promise<EnvironmentFactory> {
  const { seed, catalogSize, maxSteps } = input.shop;
  const key = `env:${input.env}:${seed}:${catalogSize}:${maxSteps}`;
  return memoised(deps, key, async () =>
    deps.environment?.(input) ?? openEnvironment(input.env, { shop: { seed, catalogSize, maxSteps }, agentgym: { maxSteps } }) as EnvironmentFactory);
}

/** Stands in for the environment behind a synthetic boundary: nothing behind it is ever called. */
function refusedEnvironment(spec: string): EnvironmentFactory {
  const never = (): never => {
    throw new Error('unreachable: a synthetic boundary refuses before calling the environment');
  };
  return { spec, label: environmentLabel(spec), open: never, tasks: never };
}

export const RunTasksSchema = z.object({ tasks: z.array(TaskSchema) });

/** The original training tasks, listed once at set-up and stored with the run. */
export function trainTasks(runId: string, deps: TrainDeps): Promise<Task[]> {
  return storedTasks(deps, runKeys(runId).trainTasks, 'training');
}

/** The held-out real tasks success is measured on (de-duplicated against training and offline goals at set-up). */
export function evaluationTasks(runId: string, deps: TrainDeps): Promise<Task[]> {
  return storedTasks(deps, runKeys(runId).evaluationTasks, 'evaluation');
}

function storedTasks(deps: TrainDeps, key: string, what: string): Promise<Task[]> {
  return memoised(deps, `stored:${key}`, async () => {
    const stored = await getJsonIfExists(deps.store, key, RunTasksSchema);
    if (!stored) throw new NotFoundError(`the ${what} tasks of this run are not stored at ${key}; initialise the run first`);
    return stored.tasks;
  });
}
