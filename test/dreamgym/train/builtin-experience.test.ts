import { describe, expect, it } from 'vitest';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { ReplayBuffer } from '../../../core/dreamgym/replay/replay-buffer.ts';
import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';
import { registerDefaultExperienceModels } from '../../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { ReplayResultSchema } from '../../../core/dreamgym/train/steps/replay.ts';
import { getJson } from '../../../core/store/json.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { tempDir } from '../../helpers/runtime.ts';

registerDefaultExperienceModels();

async function storeWithOfflineData() {
  const store = new FileStore(await tempDir());
  const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 100, random: 100, seed: 1, taskCount: 100 }));
  return { store, dataset: dataset.id };
}

const run = (buffer: string, dataset: string, extra: object = {}) => ({
  mode: 'synthetic' as const,
  iterations: 2,
  groupsPerIteration: 4,
  rolloutsPerGroup: 4,
  shop: { seed: 1 },
  tasks: { trainCount: 20, evalCount: 10 },
  experienceModel: { kind: 'builtin', options: { buffer, offlineDataset: dataset } },
  ...extra,
});

describe('training against the built-in experience model', () => {
  it('rolls out without a real interaction and enriches the replay buffer with its synthetic transitions', async () => {
    // Prepare
    const { store, dataset } = await storeWithOfflineData();
    // Act
    const summary = await runDreamGym({ ...run('train-main', dataset), runId: 'builtin-a' }, storeOnlyDeps(store));
    // Assess
    expect(summary).toMatchObject({ realInteractions: 0, syntheticRollouts: 32, failedGroups: 0 });
    const replay = await getJson(store, runKeys('builtin-a').replay(1), ReplayResultSchema);
    expect(replay.appended).toBeGreaterThan(0);
    const buffer = await ReplayBuffer.open({ store, id: 'train-main', embedder: new HashedTextEmbedder() });
    expect(buffer.shardIds()).toContain('rollout-builtin-a-000001');
    expect(buffer.transitions().filter((t) => t.source === 'rollout')).toHaveLength(replay.appended + (await getJson(store, runKeys('builtin-a').replay(2), ReplayResultSchema)).appended);
  });

  it('leaves the buffer alone in the ablation without replay enrichment, and says so', async () => {
    const { store, dataset } = await storeWithOfflineData();
    await runDreamGym({ ...run('train-ablation', dataset, { replay: { enrich: false } }), runId: 'builtin-b' }, storeOnlyDeps(store));
    const replay = await getJson(store, runKeys('builtin-b').replay(1), ReplayResultSchema);
    expect(replay).toEqual({ iteration: 1, appended: 0, skipped: 'replay enrichment is off for this run' });
    const buffer = await ReplayBuffer.open({ store, id: 'train-ablation', embedder: new HashedTextEmbedder() });
    expect(buffer.transitions().some((t) => t.source === 'rollout')).toBe(false);
  });
});
