import { readRunMetrics } from '../dreamgym/train/metrics/run-metrics.ts';
import type { MetricsRow } from '../dreamgym/train/metrics/metrics-csv.ts';
import type { Store } from '../store/store.ts';
import { lineChart } from './svg-chart.ts';

/** Recent DreamGym runs' per-iteration metrics, read from the same `metrics/iterations.jsonl` a tracker imports. */
export async function recentRunMetrics(store: Store, limit = 4): Promise<{ runId: string; rows: MetricsRow[] }[]> {
  const runIds = new Set<string>();
  for await (const info of store.list('dreamgym/runs/')) {
    const match = /^dreamgym\/runs\/([^/]+)\/metrics\/iterations\.jsonl$/.exec(info.key);
    if (match) runIds.add(match[1]!);
  }
  const out = [];
  for (const runId of [...runIds].sort().slice(-limit)) {
    const rows = await readRunMetrics(store, runId);
    if (rows?.length) out.push({ runId, rows });
  }
  return out;
}

/**
 * Held-out real success and batch mean reward per iteration, one line each per run, from the runs' metrics files.
 *
 * @example
 * runMetricsChart(await recentRunMetrics(store));
 */
export function runMetricsChart(runs: readonly { runId: string; rows: readonly MetricsRow[] }[]): string {
  const points = (rows: readonly MetricsRow[], key: string) =>
    rows.filter((r) => typeof r[key] === 'number').map((r) => [r.step, r[key] as number] as [number, number]);
  return lineChart({
    title: 'DreamGym runs: real success (eval) and batch reward (train) per iteration',
    xLabel: 'iteration',
    yLabel: 'rate / reward',
    series: runs.flatMap(({ runId, rows }) => [
      { name: `${runId} eval/success_rate`, points: points(rows, 'eval/success_rate') },
      { name: `${runId} train/mean_reward`, points: points(rows, 'train/mean_reward') },
    ]).filter((s) => s.points.length > 0),
  });
}
