import { getJsonIfExists, putJson } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { renderReport } from './render-report.ts';
import { RunReportSchema, type RunReport } from './report-model.ts';

const LATEST = 'reports/latest.json';

/** Writes a run's report as data (`report.json`) and as HTML (`report.html`), and marks it the latest. */
export async function saveReport(store: Store, report: RunReport): Promise<{ json: string; html: string }> {
  const base = `reports/${report.id}`;
  await putJson(store, `${base}/report.json`, report);
  await store.put(`${base}/report.html`, renderReport(report));
  await putJson(store, LATEST, { id: report.id });
  return { json: `${base}/report.json`, html: `${base}/report.html` };
}

/** The most recent report, or undefined before the first run. */
export async function latestReport(store: Store): Promise<RunReport | undefined> {
  const pointer = await getJsonIfExists(store, LATEST, RunReportSchema.pick({ id: true }));
  if (!pointer) return undefined;
  return getJsonIfExists(store, `reports/${pointer.id}/report.json`, RunReportSchema);
}
