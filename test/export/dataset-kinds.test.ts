import { afterEach, describe, expect, it } from 'vitest';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readShardItems } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { readCommittedTrajectories } from '../../core/dreamgym/rollout/group-store.ts';
import type { Trajectory } from '../../core/dreamgym/rollout/trajectory.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../core/dreamgym/train/run-keys.ts';
import { readSftDataset } from '../../core/dreamgym/teacher/sft-dataset.ts';
import { IwmRecordSchema } from '../../core/early/iwm-records.ts';
import { datasetsBatch, IWM_FILE, SR_FILE } from '../../core/early/keys.ts';
import { SrRecordSchema } from '../../core/early/sr-records.ts';
import { readBatchObject, readManifest } from '../../core/store/batch.ts';
import { ingestSmall } from '../backfill-pipeline/helpers.ts';
import { registerOracle } from '../dreamgym/train/helpers.ts';
import { explainingTeacher, writeShopDataset } from '../dreamgym/teacher/helpers.ts';
import { shopDemonstrations, writeDemonstrations } from '../early/helpers.ts';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { exportAndReadBack, TABULAR_FORMATS } from './read-back.ts';

registerOracle('oracle-export');

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A rollout row as the export must write it, stated field by field from the stored trajectory. */
function rolloutRow(t: Trajectory, runId: string, iteration: number, index: number) {
  const firstTrainable = t.messages.findIndex((m) => m.type === 'trainable');
  return {
    data_source: 'reverie/dreamgym/shop',
    prompt: t.messages.slice(0, firstTrainable).map((m) => ({ role: m.role, content: m.content })),
    ability: 'agent',
    reward_model: { style: 'rule', ground_truth: JSON.stringify((t.metadata.task as { goal?: unknown }).goal ?? null) },
    extra_info: {
      index, split: 'train', trajectory_id: t.id, run_id: runId, iteration, task_id: t.metadata.taskId, instruction: t.metadata.instruction,
      source: t.metadata.source, policy_version: t.metadata.policyVersion, rollout: t.metadata.rollout, seed: t.metadata.seed,
    },
    messages: t.messages.map((m) => ({ role: m.role, content: m.content })),
    turns: t.messages.map((m) => m.type === 'context'
      ? { type: 'context', action: null, state: null, next_state: null, reward: null, valid: null, done: null, log_prob: null }
      : { type: 'trainable', action: m.action, state: m.state, next_state: m.nextState, reward: m.reward, valid: m.valid, done: m.done, log_prob: m.logProb ?? null }),
    reward: t.reward,
    advantage: t.advantage,
    metrics: {
      steps: t.metrics.steps, success: t.metrics.success, invalid_actions: t.metrics.invalidActions,
      unparseable_actions: t.metrics.unparseableActions, unreadable_states: t.metrics.unreadableStates, truncated: t.metrics.truncated,
    },
  };
}

describe('exporting every dataset kind, read back with DuckDB', () => {
  it.each(TABULAR_FORMATS)('DreamGym rollouts with reward and advantage (%s)', async (format) => {
    // Prepare
    const runtime = await testRuntime();
    const input = { runId: 'exp', mode: 'synthetic' as const, iterations: 2, groupsPerIteration: 2, rolloutsPerGroup: 3, tasks: { trainCount: 2, evalCount: 2 }, experienceModel: { kind: 'oracle-export' } };
    await runDreamGym(input, storeOnlyDeps(runtime.store));
    const stored: ReturnType<typeof rolloutRow>[] = [];
    for (const iteration of [1, 2]) {
      for (const t of await readCommittedTrajectories(runtime.store, runKeys('exp').batch(iteration))) stored.push(rolloutRow(t, 'exp', iteration, stored.length));
    }

    // Act
    const { rows } = await exportAndReadBack(runtime, 'rollouts:exp', format, 'extra_info.index');

    // Assess
    expect(stored).toHaveLength(12);
    expect(rows).toEqual(stored);
    expect(new Set(rows.map((r) => (r.extra_info as { source: string }).source))).toEqual(new Set(['synthetic']));
  });

  it.each(TABULAR_FORMATS)('the experience model\'s SFT dataset in verl\'s SFT schema (%s)', async (format) => {
    // Prepare
    server = await startOpenAIServer({ respond: explainingTeacher });
    const runtime = await testRuntime({ env: { REVERIE_TEACHER_BASE_URL: server.url, REVERIE_TEACHER_MODEL: 'm', REVERIE_TEACHER_MAX_RETRIES: '0' } });
    await writeShopDataset(runtime.store);
    const engine = await runtime.engine();
    const done = await engine.wait((await engine.start('dreamgym-annotate', { dataset: 'shop-small', chunkSize: 8 })).id);
    expect(done.status).toBe('SUCCEEDED');
    const { records } = await readSftDataset(runtime.store, 'shop-small-sft');

    // Act
    const { rows } = await exportAndReadBack(runtime, 'sft:shop-small-sft', format, 'trajectory_id, step_index');

    // Assess
    const expected = records.map((r) => ({
      messages: r.messages, id: r.id, trajectory_id: r.trajectoryId, task_id: r.taskId, step_index: r.stepIndex, env: r.env,
      policy: r.policy, teacher_model: r.teacherModel, neighbours: r.neighbours,
    })).sort((a, b) => a.trajectory_id.localeCompare(b.trajectory_id) || a.step_index - b.step_index);
    expect(records.length).toBeGreaterThan(20);
    expect(rows).toEqual(expected);
  });

  it.each(TABULAR_FORMATS)('early experience IWM and SR datasets (%s)', async (format) => {
    // Prepare
    const runtime = await testRuntime();
    await writeDemonstrations(runtime.store, 'demos', await shopDemonstrations(5));
    const engine = await runtime.engine();
    const done = await engine.wait((await engine.start('early-experience', { dataset: 'demos', runId: 'ee', k: 2, chunkSize: 2 })).id);
    expect(done.status).toBe('SUCCEEDED');
    const manifest = (await readManifest(runtime.store, datasetsBatch('ee')))!;
    const lines = async (name: string) => new TextDecoder().decode(await readBatchObject(runtime.store, manifest, name)).trim().split('\n').map((l) => JSON.parse(l));
    const iwm = (await lines(IWM_FILE)).map((l) => IwmRecordSchema.parse(l));
    const sr = (await lines(SR_FILE)).map((l) => SrRecordSchema.parse(l));

    // Act
    const iwmBack = await exportAndReadBack(runtime, 'iwm:ee', format, 'id');
    const srBack = await exportAndReadBack(runtime, 'sr:ee', format, 'id');

    // Assess
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    expect(iwmBack.rows).toEqual(iwm.map((r) => ({
      messages: r.messages, id: r.id, trajectory_id: r.trajectoryId, step_index: r.stepIndex, task_id: r.taskId, env: r.env,
      kind: r.kind, action: r.action, proposer: r.proposer, valid: r.valid, summariser: r.summariser,
    })).sort(byId));
    expect(srBack.rows).toEqual(sr.map((r) => ({
      messages: r.messages, id: r.id, trajectory_id: r.trajectoryId, step_index: r.stepIndex, task_id: r.taskId, env: r.env,
      expert_action: r.expertAction, alternatives: r.alternatives, reflection: r.reflection,
    })).sort(byId));
    expect(iwm.length).toBeGreaterThan(sr.length);
  });

  it.each(TABULAR_FORMATS)('backfill embeddings from .npy shards as float32 lists (%s)', async (format) => {
    // Prepare
    const runtime = await testRuntime();
    const summary = await ingestSmall(runtime.store, { maxItems: 60, maxQueries: 5, shardSize: 25 });
    const keys = galleryKeys('mn');
    const record = await readGalleryRecord(runtime.store, 'mn');
    const expected: { id: string; source_id: string; class_name: string; shard: number; added_in: null; embedding: number[] }[] = [];
    for (const [shard, rows] of [[0, 25], [1, 25], [2, 10]] as const) {
      const { features, ids } = await readEmbeddingShard(runtime.store, keys.shard('old', shard), { rows, dim: summary.dims.old, model: 'old' });
      const items = await readShardItems(runtime.store, keys.shard('images', shard));
      ids.forEach((id, i) => expected.push({
        id, source_id: items.sourceIds[i], class_name: record.classes[items.labels[i]], shard, added_in: null,
        embedding: Array.from(features.data.subarray(i * features.dim, (i + 1) * features.dim)),
      }));
    }

    // Act
    const { rows } = await exportAndReadBack(runtime, 'embeddings:mn/old', format, 'id');

    // Assess
    expect(rows).toHaveLength(60);
    expect(rows).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
  });
});
