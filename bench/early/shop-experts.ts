import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { writeOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import type { OfflinePlan } from '../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import type { Store } from '../../core/store/store.ts';

/** Real `shop` trajectories on tasks `taskOffset …` of the catalog `shopSeed`, experts only unless `plan` says otherwise. */
export async function shopExpertRecords(
  count: number,
  options: { shopSeed: number; taskOffset?: number; seed?: number; plan?: Partial<OfflinePlan> },
): Promise<TrajectoryRecord[]> {
  const shop = createShopEnvironment({ seed: options.shopSeed });
  const plan = options.plan ?? { expert: count };
  const tasks = await shop.tasks({ offset: options.taskOffset ?? 0, count });
  const records: TrajectoryRecord[] = [];
  for await (const record of generateOfflineTrajectories({ env: shop, tasks, policies: shopOfflinePolicies(shop), plan, seed: options.seed ?? 1 })) {
    records.push(record);
  }
  return records;
}

/** Writes records as an offline dataset, as `reverie dreamgym offline` would. */
export async function writeRecords(store: Store, id: string, records: readonly TrajectoryRecord[]): Promise<void> {
  const plan: Record<string, number> = {};
  for (const record of records) plan[record.policy] = (plan[record.policy] ?? 0) + 1;
  await writeOfflineDataset(store, id, (async function* () {
    yield* records;
  })(), { env: records[0].env, plan, seed: 1 });
}
