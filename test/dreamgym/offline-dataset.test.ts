import { describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../core/env/shop/index.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import { readOfflineDataset, writeOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { ConflictError } from '../../core/errors.ts';
import { shopOfflinePolicies } from '../../core/env/shop/offline-policies.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { tempDir } from '../helpers/runtime.ts';

async function generate(seed: number) {
  const shop = createShopEnvironment({ seed: 1 });
  return generateOfflineTrajectories({
    env: shop, tasks: await shop.tasks({ count: 40 }), policies: shopOfflinePolicies(shop), plan: { expert: 12, random: 8 }, seed,
  });
}

describe('offline datasets in the store', () => {
  it('writes committed parts and reads every record back', async () => {
    const store = new FileStore(await tempDir());
    const dataset = await writeOfflineDataset(store, 'shop-test', await generate(3), { env: 'shop', plan: { expert: 12, random: 8 }, seed: 3, partSize: 7 });
    expect(dataset).toMatchObject({ trajectories: 20, parts: ['part-00000', 'part-00001', 'part-00002'] });
    const { records, malformed } = await readOfflineDataset(store, 'shop-test');
    expect(records.map((r) => r.id)).toHaveLength(20);
    expect(new Set(records.map((r) => r.id)).size).toBe(20);
    expect(malformed).toEqual([]);
  });

  it('re-running the same generation rewrites nothing and duplicates nothing', async () => {
    const store = new FileStore(await tempDir());
    const meta = { env: 'shop', plan: { expert: 12, random: 8 }, seed: 3, partSize: 10 };
    await writeOfflineDataset(store, 'shop-test', await generate(3), meta);
    const before = await store.get('dreamgym/offline/shop-test/part-00000/trajectories.jsonl');
    await writeOfflineDataset(store, 'shop-test', await generate(3), meta);
    expect(await store.get('dreamgym/offline/shop-test/part-00000/trajectories.jsonl')).toEqual(before);
    expect((await readOfflineDataset(store, 'shop-test')).records).toHaveLength(20);
  });

  it('keeps one request\'s records and statistics under one id: another task count is another dataset, another request under a named id is refused', async () => {
    const store = new FileStore(await tempDir());
    const request = (taskCount: number, dataset?: string) => OfflineDatasetRequestSchema.parse({ random: 10, taskCount, dataset });
    // Act: the same plan on 10 tasks, then on 2 (both were "shop-e0-n0-r10-s1-t0": the second's transitions over the first's records)
    const ten = await createOfflineDataset(store, request(10));
    const two = await createOfflineDataset(store, request(2));
    // Assess
    expect([ten.id, two.id]).toEqual(['shop-e0-n0-r10-s1-t0-c10', 'shop-e0-n0-r10-s1-t0-c2']);
    for (const dataset of [ten, two]) {
      const { records } = await readOfflineDataset(store, dataset.id);
      expect(records.reduce((n, r) => n + r.steps.length, 0)).toBe(dataset.transitions);
    }
    expect(new Set((await readOfflineDataset(store, two.id)).records.map((r) => r.task.id)).size).toBe(2);
    // The same request again returns the dataset as it was; another request under its name is refused, nothing written
    expect(await createOfflineDataset(store, request(10))).toEqual(ten);
    await expect(createOfflineDataset(store, request(2, ten.id))).rejects.toThrow(ConflictError);
    await expect(createOfflineDataset(store, request(2, ten.id))).rejects.toThrow(/offline dataset "shop-e0-n0-r10-s1-t0-c10" exists from another request \(.*10 tasks.*this one: .*2 tasks/);
    expect((await readOfflineDataset(store, ten.id)).records.reduce((n, r) => n + r.steps.length, 0)).toBe(ten.transitions);
  });

  it('reports a missing dataset with the command that makes one', async () => {
    const store = new FileStore(await tempDir());
    await expect(readOfflineDataset(store, 'nope')).rejects.toThrow(/no offline dataset "nope".*reverie dreamgym offline/);
  });
});
