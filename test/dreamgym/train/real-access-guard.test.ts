import { describe, expect, it } from 'vitest';
import { RealEnvironmentRefusedError } from '../../../core/env/errors.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { registerDefaultExperienceModels } from '../../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { DreamGymTrainInputSchema } from '../../../core/dreamgym/train/input.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { iterationBoundary } from '../../../core/dreamgym/train/run-environment.ts';
import { aggregateIteration, BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { updateCurriculumStep } from '../../../core/dreamgym/train/steps/curriculum.ts';
import { EvaluationSchema, evaluatePolicyStep } from '../../../core/dreamgym/train/steps/evaluate.ts';
import { initialiseRun } from '../../../core/dreamgym/train/steps/initialise.ts';
import { appendToReplay } from '../../../core/dreamgym/train/steps/replay.ts';
import { runRolloutGroupStep } from '../../../core/dreamgym/train/steps/rollout-group.ts';
import { sampleIteration } from '../../../core/dreamgym/train/steps/sample.ts';
import { summarizeRun } from '../../../core/dreamgym/train/steps/summarize.ts';
import { trainBuiltinPolicy } from '../../../core/dreamgym/train/steps/train-policy.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { getJson } from '../../../core/store/json.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { sealableShop } from './sealed-shop.ts';

registerDefaultExperienceModels();

async function storeWithOfflineData() {
  const store = new FileStore(await tempDir());
  const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 100, random: 100, seed: 1, taskCount: 100 }));
  return { store, dataset: dataset.id };
}

describe('the real-environment boundary', () => {
  it('lets a synthetic run train with the real catalog, search and reward throwing; only evaluation touches it, and the counts match', async () => {
    // Prepare
    const { store, dataset } = await storeWithOfflineData();
    const shop = sealableShop(1);
    const deps = storeOnlyDeps(store, { environment: () => shop.env });
    const input = {
      mode: 'synthetic' as const, iterations: 2, groupsPerIteration: 6, rolloutsPerGroup: 4, runId: 'sealed',
      tasks: { trainCount: 20, evalCount: 10 }, curriculum: { seedTasks: 3, variationsPerSeed: 8, keepPerSeed: 2 },
      experienceModel: { kind: 'builtin', options: { buffer: 'sealed', offlineDataset: dataset } },
    };
    // Act
    const run = await initialiseRun(input, deps);
    await evaluatePolicyStep({ runId: run.runId, iteration: 0 }, deps);
    const outsideEvaluation = shop.interactions();
    for (let iteration = 1; iteration <= run.iterations; iteration++) {
      shop.sealed = true;
      const plan = await sampleIteration({ runId: run.runId, iteration }, deps);
      for (const groupIndex of plan.groups) await runRolloutGroupStep({ runId: run.runId, iteration, groupIndex }, deps);
      await aggregateIteration({ runId: run.runId, iteration }, deps);
      await appendToReplay({ runId: run.runId, iteration }, deps);
      await trainBuiltinPolicy({ runId: run.runId, iteration }, deps);
      await updateCurriculumStep({ runId: run.runId, iteration }, deps);
      shop.sealed = false;
      await evaluatePolicyStep({ runId: run.runId, iteration }, deps);
    }
    const summary = await summarizeRun({ runId: run.runId }, deps);
    // Assess
    expect([...shop.calls.keys()].filter((k) => k.startsWith('sealed:'))).toEqual([]);
    expect(summary).toMatchObject({ realInteractions: 0, syntheticRollouts: 2 * 6 * 4, failedGroups: 0 });
    expect(summary.offlineInteractions).toBeGreaterThan(200);
    expect(summary.evaluationInteractions).toBeGreaterThan(3 * 10);
    const evaluations = await Promise.all([1, 2].map((i) => getJson(store, runKeys(run.runId).evaluation(i), EvaluationSchema)));
    const feasibilityChecks = evaluations.reduce((sum, e) => sum + (e.curriculum?.variations ?? 0), 0);
    expect(summary.setupInteractions + summary.evaluationInteractions).toBe(shop.interactions() + feasibilityChecks);
    const before = await getJson(store, runKeys(run.runId).evaluation(0), EvaluationSchema);
    expect(outsideEvaluation).toBe(summary.setupInteractions + 1 + before.interactions);
    expect(summary.curriculumVariations).toBeGreaterThan(0);
    expect(summary.curriculumInfeasible).toBeLessThanOrEqual(summary.curriculumVariations);
  });

  it('refuses every real access during a synthetic iteration and counts those of a real one', async () => {
    // Prepare
    const deps = storeOnlyDeps(new FileStore(await tempDir()), { environment: () => sealableShop(1).env });
    const s2r = DreamGymTrainInputSchema.parse({ mode: 's2r', iterations: 3, s2r: { realIterations: 1 } });
    // Act
    const synthetic = await iterationBoundary(s2r, 2, deps);
    const real = await iterationBoundary(s2r, 3, deps);
    const session = await real.env.open();
    await session.reset((await real.env.tasks({ count: 1 }))[0]);
    await session.step((await session.admissibleActions())[0]);
    // Assess
    await expect(synthetic.env.open()).rejects.toBeInstanceOf(RealEnvironmentRefusedError);
    await expect(synthetic.env.tasks({ count: 1 })).rejects.toBeInstanceOf(RealEnvironmentRefusedError);
    expect(() => synthetic.access('feasible', () => true)).toThrow(RealEnvironmentRefusedError);
    expect(synthetic.counts().total).toBe(0);
    expect(real.counts()).toMatchObject({ total: 3, byOperation: { open: 1, tasks: 1, reset: 1, step: 1, admissibleActions: 1 } });
  });

  it('reports as real interactions exactly what a real-environment run made through the boundary', async () => {
    // Prepare
    const shop = sealableShop(1);
    const deps = storeOnlyDeps(new FileStore(await tempDir()), { environment: () => shop.env });
    // Act
    const summary = await runDreamGym({ mode: 'real', iterations: 2, groupsPerIteration: 4, rolloutsPerGroup: 4, tasks: { evalCount: 10 } }, deps);
    // Assess
    expect(summary.realInteractions).toBeGreaterThan(2 * 4 * 4 * 2);
    expect(summary.offlineInteractions).toBe(0);
    expect(summary.realInteractions + summary.evaluationInteractions + summary.setupInteractions).toBe(shop.interactions());
  });

  it('counts the real accesses of a group attempt that failed before committing and was retried', async () => {
    // Prepare: the shop answers the 5th training step, then the answer is lost once (the rollout, and with no
    // failed rollouts tolerated its group attempt, fails; the retry plays the group again)
    const shop = sealableShop(1);
    const training = new Set((await createShopEnvironment({ seed: 1 }).tasks({ count: 200 })).map((t) => t.id));
    let steps = 0;
    const flaky: typeof shop.env = {
      ...shop.env,
      open: async () => {
        const session = await shop.env.open();
        return {
          get task() {
            return session.task;
          },
          reset: (task) => session.reset(task),
          step: async (action) => {
            const result = await session.step(action);
            if (training.has(session.task!.id) && ++steps === 5) throw new Error('connection reset after the step');
            return result;
          },
          admissibleActions: () => session.admissibleActions(),
          snapshot: () => session.snapshot(),
          restore: (snapshot) => session.restore(snapshot),
          close: () => session.close(),
        };
      },
    } as typeof shop.env;
    const store = new FileStore(await tempDir());
    const deps = storeOnlyDeps(store, { environment: () => flaky });
    // Act
    const summary = await runDreamGym({
      mode: 'real', runId: 'flaky', iterations: 1, groupsPerIteration: 2, rolloutsPerGroup: 4, maxConcurrency: 1,
      maxFailedRollouts: 0, tasks: { evalCount: 5 },
    }, deps);
    // Assess: the failed attempt is recorded, and every access that reached the shop is in one count
    const batch = await aggregateIteration({ runId: 'flaky', iteration: 1 }, deps);
    expect(steps).toBeGreaterThan(5);
    expect(batch.failedGroups).toBe(0);
    expect(summary.failedGroups).toBe(0);
    const stats = BatchStatsSchema.parse((await readManifest(store, runKeys('flaky').batch(1)))!.meta);
    expect(stats.failedAttemptInteractions).toBeGreaterThanOrEqual(6);
    expect(summary.realInteractions + summary.evaluationInteractions + summary.setupInteractions).toBe(shop.interactions());
  });
});
