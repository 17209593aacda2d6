import { z } from 'zod';
import { hashSeed } from '../../../random.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import { realSessions } from '../../rollout/real-session.ts';
import { createRollout } from '../../rollout/rollout.ts';
import type { TrainDeps } from '../deps.ts';
import { openPolicy, readPolicy } from '../policy-store.ts';
import { evaluationTasks, runEnvironment } from '../run-environment.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { versionOf } from './train-policy.ts';

export const EvaluationSchema = z.object({
  iteration: z.number().int().nonnegative(),
  evaluated: z.boolean(),
  policyVersion: z.string().optional(),
  episodes: z.number().int().nonnegative(),
  /** Share of held-out real tasks completed with reward 1. */
  successRate: z.number().optional(),
  meanReward: z.number().optional(),
  /** Real environment steps the evaluation took; reported apart from training interactions. */
  interactions: z.number().int().nonnegative(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/**
 * Real success of the policy after iteration `iteration` (0: before training) on the held-out real tasks, one greedy
 * episode per task with a seed fixed per task, so every iteration and every mode faces the same test. Runs at 0,
 * every `evaluation.every` iterations and at the last one; written once.
 *
 * @example
 * const { successRate } = await evaluatePolicyStep({ runId, iteration: 0 }, deps);
 */
export async function evaluatePolicyStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<Evaluation> {
  const { runId, iteration } = input;
  const key = runKeys(runId).evaluation(iteration);
  const existing = await getJsonIfExists(deps.store, key, EvaluationSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  const due = iteration === 0 || iteration === run.input.iterations || iteration % run.input.evaluation.every === 0;
  if (!due) return { iteration, evaluated: false, episodes: 0, interactions: 0 };
  const stored = await readPolicy(deps.store, runId, iteration);
  const policy = openPolicy(stored, run.input, deps, 'evaluation');
  const env = await runEnvironment(run.input, deps);
  const tasks = await evaluationTasks(run.input, deps);
  const counter = { steps: 0 };
  const sessions = realSessions(env, counter);
  const rewards: number[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      const rollout = createRollout(sessions, { id: `${runId}/eval/${iteration}/${task.id}`, seed: hashSeed(`eval:${run.input.seed}:${task.id}`) });
      rewards[index] = (await rollout(policy, task)).reward;
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.input.evaluation.concurrency, tasks.length) }, worker));
  return writeOnce(deps.store, key, {
    iteration,
    evaluated: true,
    policyVersion: versionOf(stored),
    episodes: tasks.length,
    successRate: rewards.filter((r) => r >= 1).length / tasks.length,
    meanReward: rewards.reduce((a, b) => a + b, 0) / tasks.length,
    interactions: counter.steps,
  }, EvaluationSchema);
}
