import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';
import { createShopEnvironment } from '../../../core/env/shop/index.ts';
import { writeOfflineDataset } from '../../../core/dreamgym/offline/dataset-store.ts';
import { generateOfflineTrajectories, type OfflinePlan } from '../../../core/dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../../core/env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import { ReplayBuffer } from '../../../core/dreamgym/replay/replay-buffer.ts';
import { seedReplayBuffer } from '../../../core/dreamgym/replay/seed.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import fs from 'node:fs/promises';
import { tempDir } from '../../helpers/runtime.ts';

const made: string[] = [];

/** A temporary folder removed by `removeTempDirs` (call it in the test file's `afterAll`). */
export async function scratchDir(): Promise<string> {
  const dir = await tempDir('reverie-dreamgym-');
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

export const shop = createShopEnvironment({ seed: 1 });

/** Real shop trajectories on tasks from `offset` (train and held-out sets use disjoint ranges). */
export async function shopRecords(plan: Partial<OfflinePlan>, offset: number, seed: number): Promise<TrajectoryRecord[]> {
  const count = Object.values(plan).reduce((a, b) => a + (b ?? 0), 0);
  const records: TrajectoryRecord[] = [];
  const tasks = await shop.tasks({ offset, count });
  for await (const record of generateOfflineTrajectories({ env: shop, tasks, policies: shopOfflinePolicies(shop), plan, seed })) records.push(record);
  return records;
}

/** A file store holding offline dataset `datasetId` of those records. */
export async function storeWithDataset(records: readonly TrajectoryRecord[], datasetId = 'shop-small') {
  const store = new FileStore(await scratchDir());
  await writeOfflineDataset(store, datasetId, (async function* () { yield* records; })(), { env: 'shop', plan: {}, seed: 1, partSize: 50 });
  return store;
}

/** A hashed-embedder buffer seeded with `plan` trajectories on tasks 0…; the test's training data. */
export async function seededShopBuffer(plan: Partial<OfflinePlan> = { expert: 100, noisy: 50, random: 50 }) {
  const records = await shopRecords(plan, 0, 1);
  const store = await storeWithDataset(records);
  const buffer = await ReplayBuffer.open({ store, id: 'shop-small', embedder: new HashedTextEmbedder({ dimension: 256 }) });
  await seedReplayBuffer(buffer, 'shop-small', { trajectoriesPerShard: 60 });
  return { store, buffer, records };
}
