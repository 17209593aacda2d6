import type { Runtime } from '../../../adapters/runtime.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import type { ShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { generateOfflineTrajectories } from '../../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../../core/env/shop/offline-policies.ts';
import { trajectoryTransitions } from '../../../core/dreamgym/replay/from-trajectory.ts';
import type { StoredTransition } from '../../../core/dreamgym/replay/stored-transition.ts';
import { registerExperienceModel } from '../../../core/dreamgym/train/experience-models.ts';
import { oracleExperienceModel } from '../rollout/oracle-model.ts';
import type { OracleOptions } from '../rollout/oracle-model.ts';

/**
 * Registers the exact test-double experience model under `kind` (the run's default shop, seed 1, unless told), with
 * what 100 expert offline episodes on tasks 0–99 showed as its knowledge (the curriculum judges variations from it).
 */
export function registerOracle(kind: string, options: OracleOptions & { shopSeed?: number } = {}): void {
  registerExperienceModel(kind, async () => {
    const shop = createShopEnvironment({ seed: options.shopSeed ?? 1 });
    const knowledge = await expertTransitions(shop, 100);
    return { model: oracleExperienceModel(shop, options), knowledge: () => knowledge, offlineInteractions: () => knowledge.length };
  });
}

async function expertTransitions(shop: ShopEnvironment, episodes: number): Promise<StoredTransition[]> {
  const out: StoredTransition[] = [];
  const records = generateOfflineTrajectories({
    env: shop, tasks: await shop.tasks({ count: episodes }), policies: shopOfflinePolicies(shop), plan: { expert: episodes }, seed: 1,
  });
  for await (const record of records) out.push(...trajectoryTransitions(record, 'offline'));
  return out;
}

/** Runs the `dreamgym-train` workflow on the local engine and returns its output (throws with the error when it fails). */
export async function runTrainWorkflow(runtime: Runtime, input: unknown): Promise<unknown> {
  const engine = await runtime.engine();
  const { id } = await engine.start('dreamgym-train', input);
  const done = await engine.wait(id);
  if (done.status !== 'SUCCEEDED') throw new Error(`${done.error?.error}: ${done.error?.cause}`);
  return done.output;
}
