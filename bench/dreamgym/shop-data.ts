import { createShopEnvironment } from '../../core/env/shop/index.ts';
import type { OfflinePlan } from '../../core/dreamgym/offline/generate.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import { writeOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { shopOfflinePolicies } from '../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import type { Store } from '../../core/store/store.ts';

export interface ShopDataSpec {
  readonly plan: Partial<OfflinePlan>;
  /** First task index; train and held-out sets use disjoint ranges. */
  readonly taskOffset: number;
  readonly seed: number;
  /** Stop once this many transitions are written (whole trajectories). */
  readonly maxTransitions?: number;
}

const shop = createShopEnvironment({ seed: 1 });

/** Real `shop` trajectories of the benchmark catalog (seed 1, 1,000 products). */
export async function* shopTrajectories(spec: ShopDataSpec): AsyncGenerator<TrajectoryRecord> {
  const episodes = Object.values(spec.plan).reduce((a, b) => a + (b ?? 0), 0);
  const tasks = await shop.tasks({ offset: spec.taskOffset, count: episodes });
  let transitions = 0;
  for await (const record of generateOfflineTrajectories({ env: shop, tasks, policies: shopOfflinePolicies(shop), plan: spec.plan, seed: spec.seed })) {
    if (spec.maxTransitions !== undefined && transitions >= spec.maxTransitions) return;
    transitions += record.steps.length;
    yield record;
  }
}

/** Writes an offline dataset to the store, as `reverie dreamgym offline` would. */
export async function writeShopDataset(store: Store, id: string, spec: ShopDataSpec): Promise<void> {
  const plan = Object.fromEntries(Object.entries(spec.plan).map(([k, v]) => [k, v ?? 0]));
  await writeOfflineDataset(store, id, shopTrajectories(spec), { env: 'shop', plan, seed: spec.seed });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
