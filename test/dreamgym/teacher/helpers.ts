import { createShopEnvironment } from '../../../core/env/shop/index.ts';
import { writeOfflineDataset, type OfflineDataset } from '../../../core/dreamgym/offline/dataset-store.ts';
import { generateOfflineTrajectories } from '../../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import type { Store } from '../../../core/store/store.ts';
import type { ChatRequestBody } from '../../fixtures/openai-server.ts';

const PLAN = { expert: 4, noisy: 2, random: 2 };

/** The same 8 shop trajectories (30 transitions) every time. */
export async function shopRecords(): Promise<TrajectoryRecord[]> {
  const shop = createShopEnvironment({ seed: 1, catalogSize: 300 });
  const records: TrajectoryRecord[] = [];
  const generated = generateOfflineTrajectories({ env: shop, tasks: await shop.tasks({ count: 20 }), policies: shopOfflinePolicies(shop), plan: PLAN, seed: 1 });
  for await (const record of generated) records.push(record);
  return records;
}

/** Writes `shopRecords()` as offline dataset `id`, three trajectories per part. */
export async function writeShopDataset(store: Store, id = 'shop-small'): Promise<{ dataset: OfflineDataset; records: TrajectoryRecord[] }> {
  const records = await shopRecords();
  async function* all() {
    yield* records;
  }
  const dataset = await writeOfflineDataset(store, id, all(), { env: 'shop', plan: PLAN, seed: 1, partSize: 3 });
  return { dataset, records };
}

/** A teacher that explains whatever action it was shown, as the JSON the teacher schema asks for. */
export function explainingTeacher(request: ChatRequestBody): string {
  const action = /# Action\n(.*)/.exec(request.messages[1]?.content ?? '')?.[1] ?? '?';
  return JSON.stringify({ reasoning: `The action ${action} is available here, so the page changes as the rules say.` });
}
