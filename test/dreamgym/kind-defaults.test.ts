import { beforeAll, describe, expect, it } from 'vitest';
import { registerEnvironmentPlugin } from '../../core/env/environment-plugins.ts';
import { defaultOfflineDatasetId } from '../../core/dreamgym/setup/default-offline.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { DreamGymTrainInputSchema } from '../../core/dreamgym/train/input.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../core/dreamgym/train/run-keys.ts';
import { RunSetupSchema } from '../../core/dreamgym/train/steps/setup-run.ts';
import { resolveS2rBudget } from '../../core/dreamgym/train/s2r-budget.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { shopKind } from '../../core/env/shop/shop-kind.ts';
import type { Task } from '../../core/env/environment.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { getJson } from '../../core/store/json.ts';
import { environmentPlugin as linePlugin } from '../fixtures/line-env/index.ts';
import { tempDir } from '../helpers/runtime.ts';

/**
 * What DreamGym decides per environment kind when the user does not say (issue 12): the default offline data and the
 * worst case of one rollout's real accesses follow the kind's hooks, not a comparison with the name `shop`.
 */
const WEBSHOP = 'http://localhost:36001#profile=webshop';

beforeAll(() => registerEnvironmentPlugin(linePlugin));

/** One group's worst case of an S2R run of 4 rollouts on `env` (4 × (a reset + the step bound)). */
const perGroup = (env: string, shop: object = {}) =>
  resolveS2rBudget(DreamGymTrainInputSchema.parse({ env, mode: 's2r', rolloutsPerGroup: 4, shop }))!.perGroup;

describe('DreamGym defaults that follow the environment kind', () => {
  it('keeps the shop\'s default offline data: 1,000 expert, 500 noisy and 500 random episodes from task 0', () => {
    expect(defaultOfflineDatasetId('shop', 1)).toBe('shop-e1000-n500-r500-s1-t0');
    expect(defaultOfflineDatasetId('shop', 7)).toBe('shop-e1000-n500-r500-s7-t0');
  });

  it('gives a kind without a scripted expert 2,000 random episodes from the start of its offline range', () => {
    expect(defaultOfflineDatasetId(WEBSHOP, 1)).toMatch(/^webshop-[a-z0-9]+-e0-n0-r2000-s1-t1500$/);
  });

  it('gives a plug-in that brings a scripted expert the expert plan, as the shop has (was random only)', () => {
    expect(defaultOfflineDatasetId('line', 1)).toBe('line-e1000-n500-r500-s1-t0-c1000');
  });

  it('bounds a rollout\'s real accesses by the step limit the kind declares', () => {
    // the shop's is the run's configured limit (shop.maxSteps, 15 by default)
    expect(perGroup('shop')).toBe(4 * (1 + 15));
    expect(perGroup('shop', { maxSteps: 5 })).toBe(4 * (1 + 5));
    // the line walk ends itself after 8 steps, whatever the run configures (was the rollout's 100-turn limit)
    expect(perGroup('line')).toBe(4 * (1 + 8));
    expect(perGroup('line', { maxSteps: 5 })).toBe(4 * (1 + 8));
    // a kind that declares none: the rollout's own turn limit
    expect(perGroup(WEBSHOP)).toBe(4 * (1 + 100));
  });

  it('leaves out of the shop\'s evaluation the goals its default offline data plays, since shop goals recur across indexes', async () => {
    // Prepare: an 11-product catalog, where goals recur often; what the evaluation should leave out, from the goals
    const shop = createShopEnvironment({ seed: 1, catalogSize: 11 });
    const keys = (tasks: Task[]) => new Set(tasks.map((t) => shopKind.taskKey!(t)));
    const train = keys(await shop.tasks({ offset: 0, count: 20 }));
    const offline = keys(await shop.tasks({ offset: 0, count: 2000 }));
    const listed = await shop.tasks({ offset: 1_000_000, count: 30 });
    const ofTraining = listed.filter((t) => train.has(shopKind.taskKey!(t))).length;
    const ofEither = listed.filter((t) => train.has(shopKind.taskKey!(t)) || offline.has(shopKind.taskKey!(t))).length;
    expect(ofEither).toBeGreaterThan(ofTraining);
    // Act
    const store = new FileStore(await tempDir());
    const summary = await runDreamGym({
      mode: 'real', runId: 'shop-dedup', iterations: 1, groupsPerIteration: 1, rolloutsPerGroup: 2, curriculum: { enabled: false },
      shop: { seed: 1, catalogSize: 11 }, tasks: { trainCount: 20, evalCount: 30 },
    }, storeOnlyDeps(store));
    // Assess: both listings are set-up accesses, and every evaluation goal also among them is left out
    expect(summary).toMatchObject({ setupInteractions: 2, evaluationTasks: 30 - ofEither });
    expect((await getJson(store, runKeys('shop-dedup').setup, RunSetupSchema)).evaluationDuplicatesRemoved).toBe(ofEither);
  });
});
