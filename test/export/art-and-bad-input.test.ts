import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../adapters/runtime.ts';
import { readCommittedTrajectories } from '../../core/dreamgym/rollout/group-store.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../core/dreamgym/train/run-keys.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { exportDataset } from '../../core/export/export-dataset.ts';
import { registerOracle } from '../dreamgym/train/helpers.ts';
import { shopDemonstrations, writeDemonstrations } from '../early/helpers.ts';
import { runCli } from '../helpers/cli.ts';
import { testRuntime, tempDir } from '../helpers/runtime.ts';
import { duckdbRows } from './duckdb.ts';

registerOracle('oracle-art');

async function files(dir: string): Promise<string[]> {
  // The file store's own scratch folder (.tmp) is not part of what was exported.
  return (await fs.readdir(dir, { recursive: true }).catch(() => [])).map(String).filter((f) => !f.startsWith('.tmp')).sort();
}

describe('exporting rollouts as ART trajectory groups', () => {
  it('writes one TrajectoryGroup per task and iteration, policy turns as choices, that DuckDB reads back', async () => {
    // Prepare
    const runtime = await testRuntime();
    await runDreamGym({ runId: 'art', iterations: 2, groupsPerIteration: 2, rolloutsPerGroup: 3, tasks: { trainCount: 2, evalCount: 2 }, experienceModel: { kind: 'oracle-art' } }, storeOnlyDeps(runtime.store));
    const dir = path.join(await tempDir(), 'art');

    // Act
    const result = await exportDataset(runtime.store, openStore({ ...runtime.config, store: `file://${dir}` }), { dataset: 'rollouts:art', format: 'art' });

    // Assess
    expect(result.rows).toBe(12);
    const groups = await duckdbRows(`SELECT metadata.iteration AS iteration, metadata.task_id AS task,
        list_transform(trajectories, t -> t.reward) AS rewards,
        list_transform(trajectories, t -> t.metadata.trajectory_id) AS ids,
        list_transform(trajectories, t -> t.metrics.advantage) AS advantages,
        list_transform(trajectories, t -> list_transform(t.messages_and_choices, m -> coalesce(m.content, m.message.content))) AS texts,
        list_transform(trajectories, t -> list_transform(t.messages_and_choices, m -> m.finish_reason IS NOT NULL)) AS choices
      FROM read_json('${dir}/groups.jsonl', format = 'newline_delimited') ORDER BY iteration, ids[1]`);
    const expected = [];
    for (const iteration of [1, 2]) {
      const trajectories = await readCommittedTrajectories(runtime.store, runKeys('art').batch(iteration));
      for (const task of [...new Set(trajectories.map((t) => t.id.split('/').slice(0, -1).join('/')))].sort()) {
        const members = trajectories.filter((t) => t.id.startsWith(`${task}/`));
        expected.push({
          iteration, task: members[0].metadata.taskId, rewards: members.map((t) => t.reward), ids: members.map((t) => t.id),
          advantages: members.map((t) => t.advantage), texts: members.map((t) => t.messages.map((m) => m.content)),
          choices: members.map((t) => t.messages.map((m) => m.type === 'trainable')),
        });
      }
    }
    expect(groups).toEqual(expected);
    expect(groups).toHaveLength(4);
  });
});

describe('export refuses bad input and leaves nothing half-written', () => {
  it('refuses an unknown dataset kind, a missing dataset and an unknown format, naming the problem', async () => {
    const runtime = await testRuntime();
    const target = openStore({ ...runtime.config, store: `file://${await tempDir()}/x` });
    await expect(exportDataset(runtime.store, target, { dataset: 'videos:abc', format: 'parquet' })).rejects.toThrow(/unknown dataset "videos:abc".*rollouts, offline, sft, iwm, sr, embeddings/);
    await expect(exportDataset(runtime.store, target, { dataset: 'no-kind', format: 'parquet' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(exportDataset(runtime.store, target, { dataset: 'offline:nothing', format: 'parquet' })).rejects.toBeInstanceOf(NotFoundError);
    await writeDemonstrations(runtime.store, 'demo', await shopDemonstrations(2));
    await expect(exportDataset(runtime.store, target, { dataset: 'offline:demo', format: 'csv' })).rejects.toThrow(/unknown export format "csv": use one of parquet, hf, jsonl, art/);
    await expect(exportDataset(runtime.store, target, { dataset: 'offline:demo', format: 'art' })).rejects.toThrow(/art format holds trajectory groups/);
  });

  it('never overwrites: a --to that holds anything is refused and keeps its bytes', async () => {
    // Prepare
    const runtime = await testRuntime();
    await writeDemonstrations(runtime.store, 'demo', await shopDemonstrations(2));
    const dir = path.join(await tempDir(), 'out');
    const target = () => openStore({ ...runtime.config, store: `file://${dir}` });
    await exportDataset(runtime.store, target(), { dataset: 'offline:demo', format: 'parquet' });
    const before = await fs.readFile(path.join(dir, 'data.parquet'));

    // Act
    const again = exportDataset(runtime.store, target(), { dataset: 'offline:demo', format: 'jsonl' });

    // Assess
    await expect(again).rejects.toThrow(/already holds objects; exports never overwrite/);
    expect(await files(dir)).toEqual(['_manifest.json', 'data.parquet']);
    expect(await fs.readFile(path.join(dir, 'data.parquet'))).toEqual(before);
  });

  it('commits nothing when a source part turns out corrupt half way, and removes what it had written', async () => {
    // Prepare: three parts; the last one's bytes are changed after it was committed
    const runtime = await testRuntime();
    await writeDemonstrations(runtime.store, 'demo', await shopDemonstrations(6), 2);
    const key = 'dreamgym/offline/demo/part-00002/trajectories.jsonl';
    const text = new TextDecoder().decode(await runtime.store.get(key));
    await runtime.store.put(key, text.replace('"success":true', '"success":false'));
    const dir = path.join(await tempDir(), 'out');

    // Act
    const attempt = exportDataset(runtime.store, openStore({ ...runtime.config, store: `file://${dir}` }), { dataset: 'offline:demo', format: 'hf', shardRows: 2, rowGroupRows: 1 });

    // Assess
    await expect(attempt).rejects.toThrow(/part-00002\/trajectories.jsonl" does not match its manifest/);
    expect((await files(dir)).filter((f) => f.includes('.'))).toEqual([]);
  });

  it('exits 2 from the CLI with the reason, and 0 with the target named when it works', async () => {
    // Prepare
    const runtime = await testRuntime();
    await writeDemonstrations(runtime.store, 'demo', await shopDemonstrations(2));
    const env = { REVERIE_STORE: `file://${runtime.root}` };

    // Act
    const unknown = await runCli(['export', 'offline:demo', '--format', 'xml'], env);
    const ok = await runCli(['export', 'offline:demo', '--format', 'jsonl', '--json'], env);
    const exists = await runCli(['export', 'offline:demo', '--format', 'jsonl'], env);

    // Assess
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('unknown export format "xml"');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 2, target: `file://${runtime.root}/exports/offline-demo-jsonl` });
    expect(await fs.readdir(path.join(runtime.root, 'exports', 'offline-demo-jsonl'))).toContain('data.jsonl');
    expect(exists.code).toBe(2);
    expect(exists.stderr).toContain('never overwrite');
  });
});
