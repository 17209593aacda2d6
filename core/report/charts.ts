import type { RunReport } from './report-model.ts';
import { barChart, lineChart } from './svg-chart.ts';

/** Real success per iteration for each training mode (mean across seeds, spread as a band). */
export function trainingChart(dreamgym: NonNullable<RunReport['dreamgym']>): string {
  return lineChart({
    title: `Real success per iteration (${dreamgym.env}, held-out real tasks)`,
    xLabel: 'iteration',
    yLabel: 'real success rate',
    yMin: 0,
    yMax: 1,
    series: dreamgym.modes.map((m) => ({ name: m.label, points: m.curve, spread: m.curveSpread.length ? m.curveSpread : undefined })),
  });
}

/** mAP against the fraction of the gallery backfilled, one line per search mode, the old and new models dashed. */
export function backfillChart(backfill: NonNullable<RunReport['backfill']>): string {
  const fractions = Object.values(backfill.modes)[0]?.curve.map((p) => p[0]) ?? [0, 1];
  const flat = (value: number) => [[fractions[0], value], [fractions.at(-1)!, value]] as Array<[number, number]>;
  return lineChart({
    title: `mAP during the backfill (${backfill.dataset})`,
    xLabel: 'fraction of the gallery backfilled',
    yLabel: 'mAP',
    series: [
      ...Object.entries(backfill.modes).map(([mode, result]) => ({ name: mode, points: result.curve.map((p) => [p[0], p[1]] as [number, number]) })),
      { name: 'old model', points: flat(backfill.mAP.old), dashed: true },
      { name: 'new model', points: flat(backfill.mAP.new), dashed: true },
    ],
  });
}

export function datasetChart(datasets: RunReport['datasets']): string {
  return barChart({ title: 'Dataset sizes (records)', bars: datasets.map((d) => ({ label: d.name, value: d.records })) });
}

/** Per-query negative flips against the old model during the backfill: share of queries whose top-1 turns right → wrong, per mode. */
export function flipChart(backfill: NonNullable<RunReport['backfill']>): string {
  const series = Object.entries(backfill.modes)
    .filter(([mode, result]) => mode !== 'old' && result.queryFlipRate)
    .map(([mode, result]) => ({ name: mode, points: result.queryFlipRate!.top1.map(([f, share]) => [f, share] as [number, number]) }));
  if (series.length === 0) return '';
  return lineChart({
    title: `Queries whose top-1 turns right → wrong against the old model (${backfill.dataset})`,
    xLabel: 'fraction of the gallery backfilled',
    yLabel: 'share of queries',
    yMin: 0,
    series,
  });
}
