import { backfillChart, datasetChart, flipChart, trainingChart } from './charts.ts';
import { escapeHtml, formatNumber } from './html.ts';
import { meanShare, worstShare, type FlipRateCurve } from '../backfill/eval/query-flips.ts';
import type { MeanInterval } from '../stats/mean-interval.ts';
import type { RunReport } from './report-model.ts';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#111827}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}td,th{border:1px solid #e5e7eb;padding:.3rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}.muted{color:#6b7280}.chart{max-width:100%;height:auto}code{background:#f3f4f6;padding:0 .2rem}`;

/**
 * The main job's report as one self-contained HTML file (inline CSS and SVG, no scripts, no network), drawn only
 * from the run's own data.
 *
 * @example
 * await store.put(`reports/${report.id}/report.html`, renderReport(report));
 */
export function renderReport(report: RunReport): string {
  const sections: string[] = [];
  sections.push(`<h1>Reverie run ${escapeHtml(report.id)}</h1><p class="muted">${escapeHtml(report.createdAt)} · ${formatNumber(report.durationSeconds, 1)} s</p>`);
  if (report.dreamgym) sections.push(dreamgymSection(report.dreamgym));
  if (report.early) sections.push(earlySection(report.early));
  if (report.backfill) sections.push(backfillSection(report.backfill));
  if (report.datasets.length) sections.push(`<h2 id="datasets">Datasets</h2>${datasetChart(report.datasets)}${table(['dataset', 'records', 'location'], report.datasets.map((d) => [escapeHtml(d.name), formatNumber(d.records), `<code>${escapeHtml(d.uri)}</code>`]))}`);
  sections.push(metadataSection(report));
  if (report.notes.length) sections.push(`<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reverie report ${escapeHtml(report.id)}</title><style>${STYLE}</style></head><body>${sections.join('\n')}</body></html>\n`;
}

function dreamgymSection(dg: NonNullable<RunReport['dreamgym']>): string {
  const rows = dg.modes.map((m) => [
    escapeHtml(m.label),
    formatNumber(Math.round(m.realInteractions)),
    formatNumber(Math.round(m.syntheticRollouts)),
    formatNumber(m.realSuccessBefore, 3),
    `${formatNumber(m.realSuccessAfter, 3)} ± ${formatNumber(m.realSuccessSpread, 3)}`,
    String(m.seeds),
  ]);
  return `<h2 id="dreamgym">DreamGym: experience synthesis (${escapeHtml(dg.env)}, ${dg.iterations} iterations)</h2>${trainingChart(dg)}` +
    table(['mode', 'real interactions', 'synthetic rollouts', 'success before', 'success after (mean ± sd)', 'seeds'], rows);
}

function earlySection(early: NonNullable<RunReport['early']>): string {
  const rows = [
    ['expert states', formatNumber(early.expertStates)],
    ['alternatives executed', formatNumber(early.alternatives)],
    ['IWM records', formatNumber(early.iwmRecords)],
    ['SR records', `${formatNumber(early.srRecords)} (${escapeHtml(early.srWriter)})`],
    ...(early.enrichment ? [['next-state agreement before → after replay enrichment', `${formatNumber(early.enrichment.before)} → ${formatNumber(early.enrichment.after)}`]] : []),
    ...Object.entries(early.datasets).map(([name, uri]) => [`${name} dataset`, `<code>${escapeHtml(uri)}</code>`]),
  ];
  return `<h2 id="early">Early experience (${escapeHtml(early.env)}, K = ${early.k})</h2>${table(['', ''], rows)}` +
    (early.branchingControl ? branchingControlTable(early.branchingControl) : '');
}

/** Branching's effect on the experience model next to the size-matched control's, with intervals over seeds. */
function branchingControlTable(c: NonNullable<NonNullable<RunReport['early']>['branchingControl']>): string {
  const interval = (m: MeanInterval, scale = 1, digits = 3) => `${formatNumber(m.mean * scale, digits)} [${formatNumber(m.ci95[0] * scale, digits)}, ${formatNumber(m.ci95[1] * scale, digits)}]`;
  const rows = [
    ['demonstrations alone', '—', interval(c.agreement.experts)],
    ['+ branch transitions (early experience)', formatNumber(Math.round(c.added.branching)), interval(c.agreement.branching)],
    ['+ size-matched control (plain noisy/random episodes)', formatNumber(Math.round(c.added.control)), interval(c.agreement.control)],
  ];
  const diffs = [
    ['branching − demonstrations alone', interval(c.difference.branchingMinusExperts, 100, 1)],
    ['control − demonstrations alone', interval(c.difference.controlMinusExperts, 100, 1)],
    ['<strong>branching − control</strong>', `<strong>${interval(c.difference.branchingMinusControl, 100, 1)}</strong>`],
  ];
  return `<h3>Replay enrichment against a size-matched control</h3><p class="muted">Next-state agreement of the built-in experience model on ` +
    `${formatNumber(c.heldOutTrajectories)} held-out trajectories per seed; mean [95% CI] over ${c.seeds.length} seeds (${escapeHtml(c.seeds.join(', '))}), differences paired per seed.</p>` +
    table(['replay buffer', 'transitions added (mean)', 'next-state agreement'], rows) + table(['paired difference', 'points, mean [95% CI]'], diffs);
}

function backfillSection(bf: NonNullable<RunReport['backfill']>): string {
  const flips = (curve: FlipRateCurve | undefined) => curve ? `${(meanShare(curve) * 100).toFixed(1)}% / ${(worstShare(curve) * 100).toFixed(1)}%` : 'n/a';
  const rows = Object.entries(bf.modes).map(([mode, r]) => [escapeHtml(mode), formatNumber(r.auc), r.relativeGain === null ? 'n/a' : formatNumber(r.relativeGain), String(r.negativeFlips),
    flips(r.queryFlipRate?.top1), flips(r.queryFlipRate?.ap)]);
  return `<h2 id="backfill">Online backfilling (${escapeHtml(bf.dataset)}: ${formatNumber(bf.galleryItems)} gallery images, ${formatNumber(bf.queries)} queries)</h2>` +
    `<p>mAP old model ${formatNumber(bf.mAP.old)}, new model ${formatNumber(bf.mAP.new)}.</p>${backfillChart(bf)}${flipChart(bf)}` +
    table(['mode', 'AUC (mAP)', 'relative gain', 'curve points below old mAP', 'queries top-1 right → wrong (mean / worst)', 'queries with lower AP (mean / worst)'], rows) +
    '<p class="muted">Per-query flips are against the old model, at each backfill fraction; mean and worst over the fractions.</p>';
}

function metadataSection(report: RunReport): string {
  const m = report.metadata;
  const kv = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => [escapeHtml(k), `<code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code>`]);
  const llm = Object.entries(report.llm).map(([role, u]) => [escapeHtml(role), ...[u.calls, u.retries, u.schemaFailures, u.failures, u.promptTokens, u.completionTokens].map((n) => formatNumber(n))]);
  const llmTable = llm.length
    ? table(['role', 'calls', 'retries', 'schema failures', 'failures', 'prompt tokens', 'completion tokens'], llm)
    : '<p class="muted">No LLM was called (built-in models only).</p>';
  return `<h2 id="metadata">Run metadata</h2><h3>Timings (s)</h3>${table(['part', 'seconds'], Object.entries(m.timings).map(([k, v]) => [escapeHtml(k), formatNumber(v, 1)]))}` +
    `<h3>LLM calls (measured by the clients)</h3>${llmTable}` +
    `<h3>Seeds</h3>${table(['', ''], kv(m.seeds))}<h3>Versions</h3>${table(['', ''], kv(m.versions))}` +
    `<h3>Machine</h3>${table(['', ''], kv(m.machine))}<h3>Configuration</h3>${table(['', ''], kv(m.config))}`;
}

/** A table whose cells are already-escaped HTML. */
function table(headers: string[], rows: string[][]): string {
  const head = headers.some(Boolean) ? `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>` : '';
  return `<table>${head}${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}
