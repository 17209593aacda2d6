import { describe, expect, it } from 'vitest';
import { RealBudgetExhaustedError, InteractionBoundary } from '../../../core/env/interaction-boundary.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { registerDefaultExperienceModels } from '../../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { DreamGymTrainInputSchema } from '../../../core/dreamgym/train/input.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { resolveS2rBudget } from '../../../core/dreamgym/train/s2r-budget.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
import { IterationTasksSchema } from '../../../core/dreamgym/train/steps/sample.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { getJson, getJsonIfExists } from '../../../core/store/json.ts';
import { EvaluationSchema } from '../../../core/dreamgym/train/steps/evaluate.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { sealableShop } from './sealed-shop.ts';

registerDefaultExperienceModels();

describe("S2R's capped real phase", () => {
  it('spends at most its budget of real interactions, measured at the boundary, over several real iterations', async () => {
    // Prepare: 4 groups × 4 rollouts of at most 1 + 15 interactions each: 64 per group in the worst case
    const store = new FileStore(await tempDir());
    const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 60, random: 60, seed: 1, taskCount: 60 }));
    const shop = sealableShop(1);
    const deps = storeOnlyDeps(store, { environment: () => shop.env });
    const budget = 150;
    // Act
    const summary = await runDreamGym({
      mode: 's2r', runId: 'capped', iterations: 4, groupsPerIteration: 4, rolloutsPerGroup: 4, s2r: { realIterations: 3, realBudget: budget },
      tasks: { trainCount: 20, evalCount: 5 }, evaluation: { every: 10 },
      experienceModel: { kind: 'builtin', options: { buffer: 'capped', offlineDataset: dataset.id } },
    }, deps);
    // Assess: each real iteration planned the groups the rest of the budget covers, and the total stays within it
    const plans = await Promise.all([2, 3, 4].map((i) => getJson(store, runKeys('capped').tasks(i), IterationTasksSchema)));
    const batches = await Promise.all([2, 3, 4].map(async (i) => BatchStatsSchema.parse((await readManifest(store, runKeys('capped').batch(i)))!.meta)));
    expect(plans[0]).toMatchObject({ source: 'real', realBudget: { total: budget, spentBefore: 0, perGroup: 64 } });
    expect(plans[0].tasks).toHaveLength(2);
    expect(plans[1].realBudget!.spentBefore).toBe(batches[0].realInteractions);
    expect(plans[1].tasks).toHaveLength(Math.floor((budget - batches[0].realInteractions) / 64));
    expect(plans[2].realBudget!.spentBefore).toBe(batches[0].realInteractions + batches[1].realInteractions);
    expect(summary.realInteractions).toBe(batches.reduce((sum, b) => sum + b.realInteractions, 0));
    expect(summary.realInteractions).toBeGreaterThan(0);
    expect(summary.realInteractions).toBeLessThanOrEqual(budget);
    expect(summary.realBudget).toBe(budget);
    // the curriculum's feasibility checks at evaluation are catalog accesses, counted as evaluation interactions
    const evaluations = await Promise.all([0, 1, 2, 3, 4].map((i) => getJsonIfExists(store, runKeys('capped').evaluation(i), EvaluationSchema)));
    const feasibilityChecks = evaluations.reduce((sum, e) => sum + (e?.curriculum?.variations ?? 0), 0);
    expect(summary.realInteractions + summary.evaluationInteractions + summary.setupInteractions).toBe(shop.interactions() + feasibilityChecks);
  });

  it('defaults to 10% of the least a real-env run of the synthetic phase can spend (a reset and a step per rollout)', () => {
    const input = DreamGymTrainInputSchema.parse({ mode: 's2r', iterations: 11, groupsPerIteration: 16, rolloutsPerGroup: 8, s2r: { realIterations: 1 } });
    expect(resolveS2rBudget(input)?.total).toBe(Math.floor(0.1 * 2 * 10 * 16 * 8));
    expect(resolveS2rBudget(DreamGymTrainInputSchema.parse({ mode: 'real' }))).toBeUndefined();
  });

  it('affords one group by default when 10% of the least covers none but one group is within 10% of the estimated reference', () => {
    // Prepare: 2 synthetic iterations × 4 groups × 4 rollouts: least 64 (10%: 6), one group's worst case 4 × 16 = 64
    const input = DreamGymTrainInputSchema.parse({ mode: 's2r', iterations: 3, groupsPerIteration: 4, rolloutsPerGroup: 4, s2r: { realIterations: 1 } });
    // Act
    const within = resolveS2rBudget(input, 640);
    const beyond = resolveS2rBudget(input, 639);
    const unmeasured = resolveS2rBudget(input);
    const configured = resolveS2rBudget({ ...input, s2r: { ...input.s2r, realBudget: 5 } }, 10_000);
    // Assess
    expect(within).toEqual({ total: 64, basis: 'one-group', perGroup: 64, leastRealEnv: 64, estimatedRealEnv: 640 });
    expect(beyond).toMatchObject({ total: 6, basis: 'below-one-group' });
    expect(unmeasured).toMatchObject({ total: 6, basis: 'below-one-group' });
    expect(configured).toMatchObject({ total: 5, basis: 'configured' });
    expect(resolveS2rBudget({ ...input, iterations: 21 }, 0)).toMatchObject({ total: 64, basis: 'least-real-env' });
  });

  it('has the boundary refuse a counted access beyond its limit, reads included in nothing', async () => {
    // Prepare
    const shop = sealableShop(1);
    const boundary = new InteractionBoundary(shop.env, 'training', { limit: 2 });
    const session = await boundary.env.open();
    await session.reset((await shop.env.tasks({ count: 1 }))[0]);
    const actions = await session.admissibleActions();
    await session.step(actions[0]);
    // Act
    const refused = session.step(actions[0]);
    // Assess
    await expect(refused).rejects.toBeInstanceOf(RealBudgetExhaustedError);
    await expect(session.admissibleActions()).resolves.toBeDefined();
    expect(boundary.counts()).toMatchObject({ total: 2, byOperation: { reset: 1, step: 1 } });
  });
});
