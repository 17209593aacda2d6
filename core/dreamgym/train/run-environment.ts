import { openEnvironment } from '../env/open-environment.ts';
import type { EnvironmentFactory, Task } from '../env/environment.ts';
import type { ShopEnvironment } from '../env/shop/shop-environment.ts';
import { memoised } from './deps.ts';
import type { TrainDeps } from './deps.ts';
import type { DreamGymTrainInput } from './input.ts';

/** The run's real environment, built once per process (a `shop` catalog and its search index take a moment). */
export function runEnvironment(input: DreamGymTrainInput, deps: TrainDeps): Promise<EnvironmentFactory> {
  const { seed, catalogSize, maxSteps } = input.shop;
  const key = input.env === 'shop' ? `env:shop:${seed}:${catalogSize}:${maxSteps}` : `env:${input.env}`;
  return memoised(deps, key, async () =>
    openEnvironment(input.env, { shop: { seed, catalogSize, maxSteps } }) as EnvironmentFactory);
}

export function asShop(env: EnvironmentFactory): ShopEnvironment | undefined {
  return env.label === 'shop' ? (env as ShopEnvironment) : undefined;
}

/** The original training tasks. */
export function trainTasks(input: DreamGymTrainInput, deps: TrainDeps): Promise<Task[]> {
  const { trainOffset, trainCount } = input.tasks;
  return memoised(deps, `tasks:${input.env}:${input.shop.seed}:${trainOffset}:${trainCount}`, async () =>
    (await runEnvironment(input, deps)).tasks({ offset: trainOffset, count: trainCount }));
}

/** The held-out real tasks success is measured on; the policy never trains on them. */
export function evaluationTasks(input: DreamGymTrainInput, deps: TrainDeps): Promise<Task[]> {
  const { evalOffset, evalCount } = input.tasks;
  return memoised(deps, `tasks:${input.env}:${input.shop.seed}:${evalOffset}:${evalCount}`, async () =>
    (await runEnvironment(input, deps)).tasks({ offset: evalOffset, count: evalCount }));
}
