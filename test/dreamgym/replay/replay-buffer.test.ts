import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import { bruteForceTopK } from '../../../core/dreamgym/replay/index/brute-force.ts';
import { trajectoryTransitions } from '../../../core/dreamgym/replay/from-trajectory.ts';
import { phiText } from '../../../core/dreamgym/replay/phi.ts';
import { ReplayBuffer } from '../../../core/dreamgym/replay/replay-buffer.ts';
import { seedReplayBuffer } from '../../../core/dreamgym/replay/seed.ts';
import { OpenAIEmbedder } from '../../../core/llm/embeddings.ts';
import { commitBatch } from '../../../core/store/batch.ts';
import { encodeNpy } from '../../../core/store/npy.ts';
import { startOpenAIServer, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { removeTempDirs, seededShopBuffer, shopRecords, storeWithDataset } from './shop-buffer.ts';

afterAll(removeTempDirs);

const servers: OpenAIServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

const hashed = () => new HashedTextEmbedder({ dimension: 256 });

describe('the replay buffer', () => {
  it('seeds shards from an offline dataset and a fresh open loads the same transitions in the same order', async () => {
    // Prepare
    const { store, buffer, records } = await seededShopBuffer({ expert: 20, random: 20 });
    // Act
    const reopened = await ReplayBuffer.open({ store, id: 'shop-small', embedder: hashed() });
    // Assess
    const steps = records.reduce((n, r) => n + r.steps.length, 0);
    expect(buffer.size).toBe(steps);
    expect(reopened.shardIds()).toEqual(['offline-shop-small-00000']);
    expect(reopened.transitions().map((t) => t.id)).toEqual(buffer.transitions().map((t) => t.id));
    expect(reopened.transitions()[0]).toMatchObject({ id: 'shop-expert-000000#0', source: 'offline', stepIndex: 0, taskId: records[0].task.id });
    expect(reopened.vectors()[5]).toEqual(buffer.vectors()[5]);
  });

  it('seeding the same dataset again adds and rewrites nothing', async () => {
    const { store, buffer } = await seededShopBuffer({ expert: 30, noisy: 40 });
    const before = await store.get('dreamgym/replay/shop-small/shards/offline-shop-small-00001/embeddings.npy');
    const again = await seedReplayBuffer(buffer, 'shop-small', { trajectoriesPerShard: 60 });
    expect(again).toMatchObject({ shards: 2, alreadyCommitted: 2, appended: 0 });
    expect(await store.get('dreamgym/replay/shop-small/shards/offline-shop-small-00001/embeddings.npy')).toEqual(before);
  });

  it('appends a rollout once: a second append of the same shard id changes nothing, from any process', async () => {
    // Prepare
    const { store, buffer } = await seededShopBuffer({ expert: 10 });
    const [rollout, other] = await shopRecords({ random: 2 }, 500, 9);
    const size = buffer.size;
    // Act
    const first = await buffer.append('rollout-0001', trajectoryTransitions(rollout, 'rollout'));
    const second = await buffer.append('rollout-0001', trajectoryTransitions(other, 'rollout'));
    const elsewhere = await ReplayBuffer.open({ store, id: 'shop-small', embedder: hashed() });
    const third = await elsewhere.append('rollout-0001', trajectoryTransitions(other, 'rollout'));
    // Assess
    expect(first).toEqual({ shardId: 'rollout-0001', appended: rollout.steps.length, alreadyCommitted: false });
    expect(second).toMatchObject({ appended: 0, alreadyCommitted: true });
    expect(third).toMatchObject({ appended: 0, alreadyCommitted: true });
    expect(buffer.size).toBe(size + rollout.steps.length);
    expect(elsewhere.transitions().map((t) => t.id)).toEqual(buffer.transitions().map((t) => t.id));
  });

  it('keeps the order a fresh load gives when a shard id sorts before the loaded ones, and counts a trajectory once', async () => {
    const { store, buffer } = await seededShopBuffer({ expert: 5 });
    const [rollout] = await shopRecords({ random: 1 }, 700, 3);
    await buffer.append('a-early', trajectoryTransitions(rollout, 'rollout'));
    await buffer.append('z-late', trajectoryTransitions(rollout, 'rollout'));
    const fresh = await ReplayBuffer.open({ store, id: 'shop-small', embedder: hashed() });
    expect(buffer.transitions().map((t) => t.id)).toEqual(fresh.transitions().map((t) => t.id));
    expect(buffer.transitions()[0].trajectoryId).toBe(rollout.id);
    expect(buffer.size).toBe(fresh.size);
    expect(buffer.transitions().filter((t) => t.trajectoryId === rollout.id)).toHaveLength(rollout.steps.length);
  });

  it('refuses to mix embedders, naming both', async () => {
    const { store } = await seededShopBuffer({ expert: 3 });
    await expect(ReplayBuffer.open({ store, id: 'shop-small', embedder: new HashedTextEmbedder({ dimension: 64 }) }))
      .rejects.toThrow(/holds embeddings from hashed-v1 \(dimension 256\), not hashed-v1 \(dimension 64\)/);
    const other = { name: 'other-model', dimension: 256, embed: async (t: readonly string[]) => t.map(() => new Float32Array(256)) };
    await expect(ReplayBuffer.open({ store, id: 'shop-small', embedder: other })).rejects.toThrow(/not other-model/);
  });

  it('reports a malformed offline record with its key and skips it', async () => {
    // Prepare
    const records = await shopRecords({ expert: 4 }, 0, 1);
    const broken = { ...records[2], steps: [] } as unknown as TrajectoryRecord;
    const store = await storeWithDataset([records[0], records[1], broken, records[3]]);
    const buffer = await ReplayBuffer.open({ store, id: 'b', embedder: hashed() });
    const reported: string[] = [];
    // Act
    const result = await seedReplayBuffer(buffer, 'shop-small', { onMalformed: (m) => reported.push(`${m.source}:${m.line} ${m.id}`) });
    // Assess
    expect(reported).toEqual(['dreamgym/offline/shop-small/part-00000/trajectories.jsonl:3 shop-expert-000002']);
    expect(result).toMatchObject({ trajectories: 3, malformed: [expect.objectContaining({ message: expect.stringMatching(/steps/) })] });
    expect(new Set(buffer.transitions().map((t) => t.trajectoryId))).toEqual(new Set([records[0].id, records[1].id, records[3].id]));
  });

  it('names the shard when a shard file is corrupt', async () => {
    const { store } = await seededShopBuffer({ expert: 3 });
    const key = 'dreamgym/replay/shop-small/shards/offline-shop-small-00000/transitions.jsonl';
    await store.put(key, new TextDecoder().decode(await store.get(key)).replace('"state"', '"stat"'));
    await expect(ReplayBuffer.open({ store, id: 'shop-small', embedder: hashed() }))
      .rejects.toThrow(/replay buffer "shop-small" shard "offline-shop-small-00000" .* is corrupt: .*does not match its manifest/);
  });

  it('names the shard whose embeddings do not fit its transitions, even with a consistent manifest', async () => {
    const { store, buffer } = await seededShopBuffer({ expert: 2 });
    const [first] = buffer.transitions();
    await commitBatch(store, 'dreamgym/replay/shop-small/shards/rollout-7', [
      { name: 'transitions.jsonl', body: `${JSON.stringify({ ...first, id: 'r#0' })}\n` },
      { name: 'embeddings.npy', body: encodeNpy(new Float32Array(2 * 256), [2, 256]) },
    ]);
    await expect(ReplayBuffer.open({ store, id: 'shop-small', embedder: hashed() }))
      .rejects.toThrow(/shard "rollout-7" .* is corrupt: embeddings have shape \[2, 256\], expected \[1, 256\]/);
  });

  it('refuses a malformed transition at append, naming it', async () => {
    const { buffer } = await seededShopBuffer({ expert: 2 });
    const [good] = buffer.transitions();
    await expect(buffer.append('bad', [{ ...good, id: 'x#0', stepIndex: -1 }])).rejects.toThrow(/replay shard "bad" transition 0 \(x#0\) is malformed at "stepIndex"/);
  });

  it('retrieves exactly the brute-force top-k, and finds a stored (s, a) as its own nearest neighbour', async () => {
    const { buffer } = await seededShopBuffer({ expert: 20, random: 20 });
    const rows = buffer.transitions();
    const keys = rows.map((t) => phiText(t.state, t.action));
    for (const t of rows.filter((_, i) => i % 23 === 0)) {
      const query = await buffer.embedQuery(t.state, t.action);
      const found = await buffer.retrieve(t.state, t.action, 4);
      expect(found[0].transition.state).toBe(t.state);
      expect(found[0].transition.action).toBe(t.action);
      expect(found.map((r) => [r.transition.id, r.similarity])).toEqual(
        bruteForceTopK(query, buffer.vectors(), 4, { distinct: true, keys }).map((r) => [rows[r.row].id, r.similarity]));
      expect(buffer.search(query, 6, { distinct: false }).map((r) => r.transition.id)).toEqual(
        bruteForceTopK(query, buffer.vectors(), 6).map((r) => rows[r.row].id));
    }
  });

  it('works with an OpenAI-compatible embeddings endpoint and records its name and dimension', async () => {
    // Prepare
    const server = await startOpenAIServer({ embedDimension: 32 });
    servers.push(server);
    const embedder = new OpenAIEmbedder({ baseUrl: server.url, apiKey: 'k', model: 'test-embed', concurrency: 4, timeoutMs: 2_000, maxRetries: 1, repairRetries: 0 });
    const records = await shopRecords({ expert: 6 }, 0, 1);
    const store = await storeWithDataset(records);
    const buffer = await ReplayBuffer.open({ store, id: 'via-api', embedder });
    // Act
    await seedReplayBuffer(buffer, 'shop-small');
    const target = buffer.transitions()[7];
    const found = await buffer.retrieve(target.state, target.action, 3);
    // Assess
    expect(buffer.embedderInfo).toEqual({ name: 'openai:test-embed', dimension: 32 });
    expect(found[0].similarity).toBeCloseTo(1, 5);
    expect(found[0].transition.action).toBe(target.action);
    await expect(ReplayBuffer.open({ store, id: 'via-api', embedder: hashed() })).rejects.toThrow(/holds embeddings from openai:test-embed/);
  });
});
