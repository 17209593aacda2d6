import { z } from 'zod';
import { recordLlmUsage } from '../../../llm/usage-records.ts';
import { hashSeed } from '../../../random.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import { realSessions } from '../../rollout/real-session.ts';
import { createRollout } from '../../rollout/rollout.ts';
import type { TrainDeps } from '../deps.ts';
import { openPolicy, readPolicy } from '../policy-store.ts';
import type { InteractionBoundary } from '../../../env/interaction-boundary.ts';
import { asShopEnvironment } from '../../../env/shop/shop-environment.ts';
import { findSatisfyingProducts, ShopGoalSchema } from '../../../env/shop/goal.ts';
import { environmentBoundary, evaluationTasks } from '../run-environment.ts';
import { CurriculumStateSchema } from './curriculum.ts';
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
  /** Real accesses the evaluation made (its counting boundary's total); reported apart from training interactions. */
  interactions: z.number().int().nonnegative(),
  /**
   * The curriculum's variations so far, checked against the real environment only here (shop): how many it finds
   * infeasible (no product satisfies them). Absent when there are none or the environment cannot check them.
   */
  curriculum: z.object({ variations: z.number().int().nonnegative(), infeasible: z.number().int().nonnegative() }).optional(),
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
export function evaluatePolicyStep(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<Evaluation> {
  return recordLlmUsage(deps.store, runKeys(input.runId).llm(input.iteration, 'evaluate'), () => evaluatePolicy(input, deps));
}

async function evaluatePolicy(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<Evaluation> {
  const { runId, iteration } = input;
  const key = runKeys(runId).evaluation(iteration);
  const existing = await getJsonIfExists(deps.store, key, EvaluationSchema);
  if (existing) return existing;
  const run = await readRun(deps.store, runId);
  const due = iteration === 0 || iteration === run.input.iterations || iteration % run.input.evaluation.every === 0;
  if (!due) return { iteration, evaluated: false, episodes: 0, interactions: 0 };
  const stored = await readPolicy(deps.store, runId, iteration);
  const policy = openPolicy(stored, run.input, deps, 'evaluation');
  const boundary = await environmentBoundary(run.input, deps, 'evaluation');
  const tasks = await evaluationTasks(runId, deps);
  const sessions = realSessions(boundary.env);
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
  const curriculum = await checkVariations(runId, iteration, boundary, deps);
  return writeOnce(deps.store, key, {
    iteration,
    evaluated: true,
    policyVersion: versionOf(stored),
    episodes: tasks.length,
    successRate: rewards.filter((r) => r >= 1).length / tasks.length,
    meanReward: rewards.reduce((a, b) => a + b, 0) / tasks.length,
    interactions: boundary.counts().total,
    ...(curriculum ? { curriculum } : {}),
  }, EvaluationSchema);
}

/** Every variation the curriculum added up to `iteration`, checked for feasibility against the real catalog. */
async function checkVariations(runId: string, iteration: number, boundary: InteractionBoundary, deps: TrainDeps) {
  const added = new Map<string, unknown>();
  for (let i = 1; i <= iteration; i++) {
    const state = await getJsonIfExists(deps.store, runKeys(runId).curriculum(i), CurriculumStateSchema);
    for (const task of state?.pool ?? []) added.set(task.id, task.goal);
  }
  if (added.size === 0) return undefined;
  let infeasible = 0;
  for (const goal of added.values()) {
    const feasible = boundary.access('feasible', (env) => {
      const shop = asShopEnvironment(env);
      return shop ? findSatisfyingProducts(shop.catalog, ShopGoalSchema.parse(goal)).length > 0 : undefined;
    });
    if (feasible === undefined) return undefined;
    if (!feasible) infeasible++;
  }
  return { variations: added.size, infeasible };
}
