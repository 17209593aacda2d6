import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { recordLlmUsage } from '../../../llm/usage-records.ts';
import { hashSeed } from '../../../random.ts';
import { getJson } from '../../../store/json.ts';
import { runGroup } from '../../rollout/group.ts';
import { readGroupSummary, writeGroup } from '../../rollout/group-store.ts';
import type { StoredGroup } from '../../rollout/group-store.ts';
import { realSessions } from '../../rollout/real-session.ts';
import { createRollout } from '../../rollout/rollout.ts';
import type { RolloutSessionFactory } from '../../rollout/rollout-session.ts';
import { memoised } from '../deps.ts';
import { syntheticSessions } from '../../rollout/synthetic-session.ts';
import type { TrainDeps } from '../deps.ts';
import { openExperienceModel } from '../experience-models.ts';
import { openPolicy, readPolicy } from '../policy-store.ts';
import type { InteractionBoundary } from '../../../env/interaction-boundary.ts';
import { iterationBoundary } from '../run-environment.ts';
import { readRun } from '../run-record.ts';
import type { RunRecord } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { IterationTasksSchema } from './sample.ts';
import type { RealBudgetPlan } from './sample.ts';
import { readFailedAttempts, recordFailedAttempt } from './group-outcomes.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';

/** What a group's Map iteration returns: small, the trajectories stay in the store. */
export const GroupResultSchema = z.object({
  status: z.literal('ok'),
  groupIndex: z.number().int().nonnegative(),
  taskId: z.string(),
  source: z.string(),
  prefix: z.string(),
  rewards: z.array(z.number()),
  steps: z.number().int().nonnegative(),
  /** Real accesses the group made, as its counting boundary measured them (0 for a synthetic group). */
  realInteractions: z.number().int().nonnegative().default(0),
  failedRollouts: z.number().int().nonnegative(),
});
export type GroupResult = z.infer<typeof GroupResultSchema>;

/** What the workflow's Catch records for a group that failed after its retries. */
export const GroupFailureSchema = z.object({
  status: z.literal('failed'),
  groupIndex: z.number().int().nonnegative(),
  error: z.string(),
  cause: z.string().optional(),
});
export type GroupFailure = z.infer<typeof GroupFailureSchema>;

export const GroupOutcomeSchema = z.discriminatedUnion('status', [GroupResultSchema, GroupFailureSchema]);
export type GroupOutcome = z.infer<typeof GroupOutcomeSchema>;

/**
 * One Map iteration: the n rollouts of one task, against the experience model (synthetic iterations) or the real
 * environment, committed as one group under its deterministic key. A group already committed (a retry after the
 * commit, or a re-run iteration) is returned as it is, never rolled out twice.
 *
 * @example
 * const result = await runRolloutGroupStep({ runId, iteration: 1, groupIndex: 3 }, deps);
 */
export function runRolloutGroupStep(
  input: { runId: string; iteration: number; groupIndex: number },
  deps: TrainDeps,
): Promise<GroupResult> {
  const step = `rollout-${String(input.groupIndex).padStart(6, '0')}`;
  return recordLlmUsage(deps.store, runKeys(input.runId).llm(input.iteration, step), () => rolloutGroup(input, deps));
}

async function rolloutGroup(input: { runId: string; iteration: number; groupIndex: number }, deps: TrainDeps): Promise<GroupResult> {
  const { runId, iteration, groupIndex } = input;
  const keys = runKeys(runId);
  const prefix = keys.group(iteration, groupIndex);
  const done = await readGroupSummary(deps.store, prefix);
  if (done) return groupResult(groupIndex, done);
  const run = await readRun(deps.store, runId);
  const plan = await getJson(deps.store, keys.tasks(iteration), IterationTasksSchema);
  const sampled = plan.tasks[groupIndex];
  if (!sampled) throw new InvalidInputError(`iteration ${iteration} of run ${runId} has no group ${groupIndex}`);
  const policy = openPolicy(await readPolicy(deps.store, runId, iteration - 1), run.input, deps, 'rollout');
  const boundary = await iterationBoundary(run.input, iteration, deps, await groupLimit(plan.realBudget, runId, iteration, groupIndex, deps));
  const sessions = await sessionsFor(run, boundary, deps);
  const { seed, rolloutsPerGroup: n } = run.input;
  try {
    const group = await runGroup({
      policy,
      task: sampled.task,
      n,
      concurrency: run.input.rolloutConcurrency,
      maxFailures: run.input.maxFailedRollouts,
      outcome: run.input.outcome,
      rollout: (r) => createRollout(sessions, {
        id: `${runId}/${iteration}/${groupIndex}/${r}`,
        seed: hashSeed(`rollout:${seed}:${iteration}:${groupIndex}:${r}`),
        rollout: r,
      }),
    });
    return groupResult(groupIndex, await writeGroup(deps.store, prefix, group, boundary.counts().total));
  } catch (error) {
    // The attempt's real accesses happened although nothing was committed: recorded for the aggregate step
    const counts = boundary.counts();
    if (counts.total > 0) {
      await recordFailedAttempt(deps.store, {
        runId, iteration, groupIndex, realInteractions: counts.total, byOperation: { ...counts.byOperation },
        error: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`.slice(0, 500),
      });
    }
    throw error;
  }
}

/**
 * A budgeted group's limit for this attempt: its share of the real phase's budget less what its earlier failed
 * attempts spent, so that all its attempts together stay within the share.
 */
async function groupLimit(budget: RealBudgetPlan | undefined, runId: string, iteration: number, groupIndex: number, deps: TrainDeps): Promise<number | undefined> {
  if (!budget) return undefined;
  const spent = (await readFailedAttempts(deps.store, runId, iteration))
    .filter((a) => a.groupIndex === groupIndex).reduce((sum, a) => sum + a.realInteractions, 0);
  return Math.max(0, budget.perGroup - spent);
}

/**
 * Real sessions through the iteration's counting boundary, or sessions over the experience model, which never see
 * the environment (a synthetic boundary would refuse them anyway).
 */
async function sessionsFor(run: RunRecord, boundary: InteractionBoundary, deps: TrainDeps): Promise<RolloutSessionFactory> {
  if (boundary.phase !== 'synthetic') return realSessions(boundary.env);
  const { kind, options } = run.input.experienceModel;
  const binding = await openExperienceModel(kind, { deps, runId: run.runId, envSpec: run.input.env, seed: run.input.seed, shopSeed: run.input.shop.seed, options });
  // States read as the environment kind reads them, with what the experience model's buffer recorded
  const { reader, invalidEnds, instructionFrom } = await memoised(deps, `synthetic-states:${run.runId}`, async () =>
    environmentKind(run.input.env).syntheticStates(binding.knowledge?.() ?? []));
  return syntheticSessions(binding.model, { reader, maxSteps: run.input.shop.maxSteps, invalidEnds, instructionFrom });
}

function groupResult(groupIndex: number, stored: StoredGroup): GroupResult {
  return {
    status: 'ok', groupIndex, taskId: stored.taskId, source: stored.source, prefix: stored.prefix,
    rewards: stored.rewards, steps: stored.steps, realInteractions: stored.realInteractions, failedRollouts: stored.failures,
  };
}
