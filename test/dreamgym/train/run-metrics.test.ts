import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { metricsCsv } from '../../../core/dreamgym/train/metrics/metrics-csv.ts';
import { metricsKeys, readRunMetrics } from '../../../core/dreamgym/train/metrics/run-metrics.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { BatchStatsSchema } from '../../../core/dreamgym/train/steps/aggregate.ts';
import { EvaluationSchema } from '../../../core/dreamgym/train/steps/evaluate.ts';
import { TrainResultSchema } from '../../../core/dreamgym/train/steps/train-policy.ts';
import { DEFAULT_OPTIMIZER, OPTIMIZER_DEFAULTS } from '../../../core/dreamgym/rl/optimizer.ts';
import { readManifest } from '../../../core/store/batch.ts';
import { getJson, getText } from '../../../core/store/json.ts';
import { duckdbRows } from '../../export/duckdb.ts';
import { testRuntime } from '../../helpers/runtime.ts';
import { registerOracle } from './helpers.ts';

registerOracle('oracle-metrics');

describe('run metrics for trackers', () => {
  it('writes one row per iteration from the committed batches and evaluations, as JSONL and as CSV DuckDB reads', async () => {
    // Prepare
    const runtime = await testRuntime();
    const input = { runId: 'met', iterations: 2, groupsPerIteration: 2, rolloutsPerGroup: 3, tasks: { trainCount: 2, evalCount: 3 }, experienceModel: { kind: 'oracle-metrics' } };

    // Act
    const summary = await runDreamGym(input, storeOnlyDeps(runtime.store));

    // Assess: every figure comes from what the steps committed
    const rows = (await readRunMetrics(runtime.store, 'met'))!;
    expect(rows.map((r) => r.step)).toEqual([0, 1, 2]);
    const keys = runKeys('met');
    const before = await getJson(runtime.store, keys.evaluation(0), EvaluationSchema);
    expect(rows[0]).toEqual({ step: 0, 'eval/success_rate': before.successRate, 'eval/mean_reward': before.meanReward, 'eval/episodes': 3, 'eval/interactions': before.interactions });
    for (const step of [1, 2]) {
      const batch = (await readManifest(runtime.store, keys.batch(step)))!;
      const stats = BatchStatsSchema.parse(batch.meta);
      expect(rows[step]).toMatchObject({
        'train/source': 'synthetic', 'train/trajectories': stats.trajectories, 'train/mean_reward': stats.meanReward,
        'train/success_rate': stats.successRate, 'train/synthetic_rollouts': 6, 'train/real_interactions': 0,
        'train/synthetic_steps': stats.syntheticSteps, 'train/mean_steps': stats.syntheticSteps / 6, 'train/failed_groups': 0,
      });
      expect(rows[step]['time/iteration_s']).toBeGreaterThanOrEqual(0);
      const trained = await getJson(runtime.store, keys.train(step), TrainResultSchema);
      expect(rows[step]['policy/kl']).toBe(trained.stats!.kl);
      expect(rows[step]['policy/kl_coefficient']).toBe(OPTIMIZER_DEFAULTS[DEFAULT_OPTIMIZER].klCoefficient);
      expect(typeof rows[step]['policy/kl']).toBe('number');
    }
    expect(rows[2]['time/elapsed_s']).toBeGreaterThanOrEqual(rows[1]['time/elapsed_s'] as number);
    expect(rows[2]['eval/success_rate']).toBe(summary.realSuccessAfter);

    const csvFile = fileURLToPath(`${runtime.store.uri}/${metricsKeys('met').csv}`);
    const csv = await duckdbRows(`SELECT * FROM read_csv('${csvFile}', header = true) ORDER BY step`);
    const filled = (r: Record<string, unknown>) => Object.fromEntries(Object.keys(csv[0]).map((k) => [k, r[k] ?? null]));
    expect(csv).toEqual(rows.map(filled));

    const run = JSON.parse(await getText(runtime.store, metricsKeys('met').run));
    expect(run).toMatchObject({
      run_id: 'met', 'summary/mode': 'synthetic', 'summary/synthetic_rollouts': 12, 'summary/real_interactions': 0,
      'summary/real_success_after': summary.realSuccessAfter, 'time/elapsed_s': rows[2]['time/elapsed_s'],
    });
  });

  it('quotes CSV cells that hold commas, quotes or newlines and leaves missing cells empty', () => {
    expect(metricsCsv([{ step: 0, a: 'x,y' }, { step: 1, b: 'say "hi"\nok' }])).toBe('step,a,b\n0,"x,y",\n1,,"say ""hi""\nok"\n');
  });
});
