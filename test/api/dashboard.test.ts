import { describe, expect, it } from 'vitest';
import { saveReport } from '../../core/report/report-store.ts';
import { RunReportSchema } from '../../core/report/report-model.ts';
import { createApp } from '../../functions/api/app.ts';
import { testRuntime } from '../helpers/runtime.ts';

describe('dashboard page', () => {
  it('lists workflow executions with their status', async () => {
    const runtime = await testRuntime({ env: { REVERIE_API_OPEN: 'true' } });
    const engine = await runtime.engine();
    const { id } = await engine.start('store-verify', {});
    await engine.wait(id);
    const html = await (await createApp(runtime).request('/dashboard')).text();
    expect(html).toContain(`data-execution="${id}"`);
    expect(html).toContain('class="status-SUCCEEDED"');
    expect(html).toContain('No report yet');
  });

  it('draws the latest report\'s plots and serves the report file', async () => {
    const runtime = await testRuntime({ env: { REVERIE_API_OPEN: 'true' } });
    const report = RunReportSchema.parse({
      id: 'run-x', createdAt: 'now', durationSeconds: 1,
      metadata: { config: {}, seeds: {}, versions: {}, timings: {}, machine: {} },
      backfill: { dataset: 'mnist', galleryItems: 10, queries: 2, mAP: { old: 0.2, new: 0.4 }, modes: { naive: { auc: 0.3, relativeGain: 0.5, negativeFlips: 1, curve: [[0, 0.2, 0.5], [1, 0.4, 0.6]], queryFlipRate: { top1: [[0, 0.5], [1, 0]], ap: [[0, 1], [1, 0.5]] } } } },
      datasets: [],
    });
    await saveReport(runtime.store, report);
    const api = createApp(runtime);
    const html = await (await api.request('/dashboard')).text();
    expect(html).toContain('data-series="naive" data-x="1" data-y="0.4"');
    expect(html).toContain('Queries whose top-1 turns right → wrong against the old model (mnist)');
    expect(html).toContain('data-series="naive" data-x="0" data-y="0.5"');
    const file = await api.request('/report');
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('Reverie run run-x');
  });
});
