import { backfillChart, datasetChart, flipChart, trainingChart } from '../../../core/report/charts.ts';
import { escapeHtml, formatNumber } from '../../../core/report/html.ts';
import type { DatasetEntry } from '../../../core/report/inventory.ts';
import type { RunReport } from '../../../core/report/report-model.ts';
import { runMetricsChart } from '../../../core/report/run-metrics-chart.ts';
import type { MetricsRow } from '../../../core/dreamgym/train/metrics/metrics-csv.ts';
import type { ExecutionRecord } from '../../../core/workflow/execution.ts';
import { DASHBOARD_SCRIPT } from './script.ts';

export interface DashboardData {
  executions: ExecutionRecord[];
  datasets: DatasetEntry[];
  report?: RunReport;
  galleries: Array<{ id: string; status: string; fraction: number; itemsDone: number; itemsTotal: number }>;
  /** Recent DreamGym runs' per-iteration metrics (the files a tracker imports); none when absent. */
  runMetrics?: Array<{ runId: string; rows: MetricsRow[] }>;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb}
header{background:#111827;color:#fff;padding:.8rem 1.5rem}main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:1rem;margin:1rem 0}
table{border-collapse:collapse;font-size:.88rem;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left}
.status-SUCCEEDED{color:#15803d}.status-FAILED,.status-ABORTED{color:#b91c1c}.status-RUNNING{color:#1d4ed8}
progress{width:160px}.chart{max-width:100%;height:auto}.muted{color:#6b7280}#search-results img{image-rendering:pixelated;width:56px;height:56px;margin:2px;border:1px solid #e5e7eb}`;

/** The dashboard: runs, backfills and datasets with their status and progress, the report's plots, gallery search. */
export function renderDashboard(data: DashboardData): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reverie dashboard</title><style>${STYLE}</style></head><body>
<header><strong>Reverie</strong> <span class="muted">dashboard</span></header><main>
${runsSection(data.executions)}
${galleriesSection(data.galleries)}
${datasetsSection(data.datasets)}
${plotsSection(data.report)}
${runMetricsSection(data.runMetrics ?? [])}
</main><script>${DASHBOARD_SCRIPT}</script></body></html>`;
}

function runsSection(executions: ExecutionRecord[]): string {
  const rows = executions.map((e) => {
    const p = e.progress;
    const progress = p && p.mapIterationsStarted > 0
      ? `<progress max="${p.mapIterationsStarted}" value="${p.mapIterationsSucceeded + p.mapIterationsFailed}"></progress> ${p.mapIterationsSucceeded + p.mapIterationsFailed}/${p.mapIterationsStarted}`
      : escapeHtml(p?.currentState ?? '');
    return `<tr data-execution="${escapeHtml(e.id)}"><td>${escapeHtml(e.id)}</td><td>${escapeHtml(e.workflow)}</td><td class="status-${e.status}">${e.status}</td><td>${progress}</td><td>${escapeHtml(e.startedAt)}</td></tr>`;
  });
  return `<section id="runs"><h2>Runs</h2>${rows.length ? `<table><tr><th>execution</th><th>workflow</th><th>status</th><th>progress</th><th>started</th></tr>${rows.join('')}</table>` : '<p class="muted">No workflow executions yet.</p>'}</section>`;
}

function galleriesSection(galleries: DashboardData['galleries']): string {
  const rows = galleries.map((g) => `<tr data-gallery="${escapeHtml(g.id)}"><td>${escapeHtml(g.id)}</td><td>${escapeHtml(g.status)}</td><td><progress max="1" value="${g.fraction}"></progress> ${formatNumber(g.itemsDone)}/${formatNumber(g.itemsTotal)}</td></tr>`);
  const options = galleries.map((g) => `<option value="${escapeHtml(g.id)}">${escapeHtml(g.id)}</option>`).join('');
  const search = galleries.length
    ? `<form id="search-form"><label>gallery <select name="gallery">${options}</select></label> <label>item id <input name="itemId" placeholder="e.g. q-00012" required></label> <label>mode <select name="mode"><option>rt-merge</option><option>rank-merge</option><option>naive</option><option>old</option></select></label> <button type="submit">Search</button></form><div id="search-results"></div>`
    : '';
  return `<section id="backfills"><h2>Backfills</h2>${rows.length ? `<table><tr><th>gallery</th><th>status</th><th>backfilled</th></tr>${rows.join('')}</table>` : '<p class="muted">No galleries yet.</p>'}${search}</section>`;
}

function datasetsSection(datasets: DatasetEntry[]): string {
  const rows = datasets.map((d) => `<tr><td>${escapeHtml(d.kind)}</td><td>${escapeHtml(d.id)}</td><td>${formatNumber(d.records)}</td><td><code>${escapeHtml(d.key)}</code></td></tr>`);
  return `<section id="datasets"><h2>Datasets</h2>${rows.length ? `<table><tr><th>kind</th><th>id</th><th>records</th><th>key</th></tr>${rows.join('')}</table>` : '<p class="muted">No datasets yet.</p>'}</section>`;
}

function plotsSection(report: RunReport | undefined): string {
  if (!report) return '<section id="plots"><h2>Plots</h2><p class="muted">No report yet: run <code>npm start</code>.</p></section>';
  const charts = [
    report.dreamgym ? trainingChart(report.dreamgym) : '',
    report.backfill ? backfillChart(report.backfill) : '',
    report.backfill ? flipChart(report.backfill) : '',
    report.datasets.length ? datasetChart(report.datasets) : '',
  ].filter(Boolean);
  return `<section id="plots"><h2>Plots <span class="muted">from report ${escapeHtml(report.id)}</span></h2>${charts.join('')}</section>`;
}

function runMetricsSection(runs: NonNullable<DashboardData['runMetrics']>): string {
  if (!runs.length) return '';
  const files = runs.map((r) => `<code>dreamgym/runs/${escapeHtml(r.runId)}/metrics/iterations.jsonl</code>`).join(', ');
  return `<section id="run-metrics"><h2>DreamGym runs</h2>${runMetricsChart(runs)}<p class="muted">from ${files} (also as CSV beside them)</p></section>`;
}
