import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../adapters/runtime.ts';
import { exportDataset } from '../../core/export/export-dataset.ts';
import { testRuntime, tempDir } from '../helpers/runtime.ts';
import { shopDemonstrations, writeDemonstrations } from '../early/helpers.ts';
import { duckdbColumns, duckdbRows } from './duckdb.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';

/** What a row of an exported offline episode must hold, stated from the stored record. */
function expectedRow(r: TrajectoryRecord, index: number) {
  return {
    data_source: `reverie/offline/${r.env}`,
    prompt: [{ role: 'user', content: r.task.instruction }],
    ability: 'agent',
    reward_model: { style: 'rule', ground_truth: JSON.stringify(r.task.goal ?? null) },
    extra_info: { index, split: 'train', trajectory_id: r.id, dataset: 'demo', task_id: r.task.id, policy: r.policy, seed: r.seed },
    steps: r.steps.map((s) => ({
      state: s.state, action: s.action, next_state: s.nextState, reward: s.reward, done: s.done, valid: s.valid,
      admissible_actions: s.admissibleActions ?? null,
    })),
    final_reward: r.finalReward,
    success: r.success,
  };
}

async function setup() {
  const runtime = await testRuntime();
  const records = await shopDemonstrations(7, { plan: { expert: 3, noisy: 2, random: 2 } });
  await writeDemonstrations(runtime.store, 'demo', records, 3);
  const out = await tempDir('reverie-export-');
  return { runtime, records, out, target: (name: string) => openStore({ ...runtime.config, store: `file://${path.join(out, name)}` }) };
}

describe('exporting an offline dataset', () => {
  it('writes one Parquet file in verl\'s RL columns that DuckDB reads back row for row', async () => {
    // Prepare
    const { runtime, records, out, target } = await setup();

    // Act
    const result = await exportDataset(runtime.store, target('pq'), { dataset: 'offline:demo', format: 'parquet', rowGroupRows: 2 });

    // Assess
    expect(result.rows).toBe(records.length);
    const file = path.join(out, 'pq', 'data.parquet');
    const rows = await duckdbRows(`SELECT * FROM read_parquet('${file}') ORDER BY extra_info.index`);
    expect(rows).toEqual(records.map(expectedRow));
    const types = await duckdbColumns(`SELECT * FROM read_parquet('${file}')`);
    expect(types.prompt).toBe('STRUCT("role" VARCHAR, "content" VARCHAR)[]');
    expect(types.reward_model).toBe('STRUCT(style VARCHAR, ground_truth VARCHAR)');
    expect(types.final_reward).toBe('DOUBLE');
    // row groups of 2 rows: the file was written in pieces, not in one go
    const groups = await duckdbRows(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`);
    expect(groups[0].n).toBe(Math.ceil(records.length / 2));
    const manifest = JSON.parse(await fs.readFile(path.join(out, 'pq', '_manifest.json'), 'utf8'));
    expect(manifest.objects.map((o: { name: string }) => o.name)).toEqual(['data.parquet']);
    expect(manifest.meta.rows).toBe(records.length);
  });

  it('writes JSONL rows that DuckDB reads back as the same records', async () => {
    const { runtime, records, out, target } = await setup();
    await exportDataset(runtime.store, target('jl'), { dataset: 'offline:demo', format: 'jsonl' });
    const rows = await duckdbRows(`SELECT * FROM read_json('${path.join(out, 'jl', 'data.jsonl')}', format = 'newline_delimited') ORDER BY extra_info.index`);
    expect(rows).toEqual(records.map(expectedRow));
  });

  it('writes a Hugging Face folder of numbered shards and a card stating the features and size', async () => {
    // Prepare
    const { runtime, records, out, target } = await setup();

    // Act
    await exportDataset(runtime.store, target('hf'), { dataset: 'offline:demo', format: 'hf', shardRows: 3 });

    // Assess
    const shards = (await fs.readdir(path.join(out, 'hf', 'data'))).sort();
    expect(shards).toEqual(['train-00000-of-00003.parquet', 'train-00001-of-00003.parquet', 'train-00002-of-00003.parquet']);
    const rows = await duckdbRows(`SELECT * FROM read_parquet('${path.join(out, 'hf', 'data', '*.parquet')}') ORDER BY extra_info.index`);
    expect(rows).toEqual(records.map(expectedRow));
    const card = await fs.readFile(path.join(out, 'hf', 'README.md'), 'utf8');
    const bytes = (await Promise.all(shards.map((s) => fs.stat(path.join(out, 'hf', 'data', s))))).reduce((n, s) => n + s.size, 0);
    expect(card.startsWith('---\ndataset_info:\n  features:\n  - name: data_source\n    dtype: string\n  - name: prompt\n    list:\n')).toBe(true);
    expect(card).toContain(`  splits:\n  - name: train\n    num_bytes: ${bytes}\n    num_examples: ${records.length}\n`);
    expect(card).toContain('configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n');
    expect(card).toContain('## How it was made');
    expect(card).toContain('| dataset | demo |');
  });
});
