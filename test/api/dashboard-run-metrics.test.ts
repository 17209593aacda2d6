import { describe, expect, it } from 'vitest';
import { metricsKeys } from '../../core/dreamgym/train/metrics/run-metrics.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';

describe('dashboard run metrics', () => {
  it('plots each run\'s eval success and batch reward from its metrics/iterations.jsonl', async () => {
    // Prepare: a metrics file as a run writes it (and a tracker imports it)
    const runtime = await testRuntime({ env: { REVERIE_API_OPEN: 'true' } });
    const rows = [{ step: 0, 'eval/success_rate': 0.25 }, { step: 1, 'train/mean_reward': 0.5, 'eval/success_rate': 0.75 }];
    await runtime.store.put(metricsKeys('run-a').jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));

    // Act
    const html = await (await createApp(runtime).request('/dashboard')).text();

    // Assess
    expect(html).toContain('id="run-metrics"');
    expect(html).toContain('data-series="run-a eval/success_rate" data-x="1" data-y="0.75"');
    expect(html).toContain('data-series="run-a train/mean_reward" data-x="1" data-y="0.5"');
    expect(html).toContain('dreamgym/runs/run-a/metrics/iterations.jsonl');
  });
});
