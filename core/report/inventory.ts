import { SftDatasetDescriptorSchema } from '../dreamgym/teacher/finalise.ts';
import { OfflineDatasetSchema } from '../dreamgym/offline/dataset-store.ts';
import { EarlySummarySchema } from '../early/summary.ts';
import { getJsonIfExists } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { ExecutionLog } from '../workflow/execution-log.ts';
import type { ExecutionRecord } from '../workflow/execution.ts';

export interface DatasetEntry {
  kind: string;
  id: string;
  records: number;
  key: string;
}

/** Recent workflow executions with their status and progress, newest first. */
export async function recentExecutions(store: Store, limit = 20): Promise<ExecutionRecord[]> {
  const log = new ExecutionLog(store);
  const records = await Promise.all((await log.list(undefined, 500)).map((id) => log.get(id)));
  return records.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1)).slice(0, limit);
}

/**
 * The datasets in the store that Reverie made, found by their descriptors: offline trajectories, the experience
 * model's SFT data, and early experience's IWM and SR datasets.
 */
export async function listDatasets(store: Store): Promise<DatasetEntry[]> {
  const out: DatasetEntry[] = [];
  for await (const info of store.list('dreamgym/offline/')) {
    if (!info.key.endsWith('/dataset.json')) continue;
    const dataset = await getJsonIfExists(store, info.key, OfflineDatasetSchema);
    if (dataset) out.push({ kind: 'offline trajectories', id: dataset.id, records: dataset.trajectories, key: info.key });
  }
  for await (const info of store.list('dreamgym/sft/')) {
    if (!info.key.endsWith('/dataset.json')) continue;
    const dataset = await getJsonIfExists(store, info.key, SftDatasetDescriptorSchema);
    if (dataset) out.push({ kind: 'experience-model SFT', id: dataset.id, records: dataset.records, key: info.key });
  }
  for await (const info of store.list('early/')) {
    if (!info.key.endsWith('/summary.json')) continue;
    const summary = await getJsonIfExists(store, info.key, EarlySummarySchema);
    if (!summary) continue;
    out.push({ kind: 'early experience: IWM', id: summary.runId, records: summary.iwmRecords, key: summary.datasets.iwm });
    out.push({ kind: 'early experience: SR', id: summary.runId, records: summary.srRecords, key: summary.datasets.sr });
  }
  return out;
}
