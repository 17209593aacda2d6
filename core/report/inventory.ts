import { OfflineDatasetSchema } from '../dreamgym/offline/dataset-store.ts';
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

/** The datasets in the store that Reverie made, found by their descriptors. */
export async function listDatasets(store: Store): Promise<DatasetEntry[]> {
  const out: DatasetEntry[] = [];
  for await (const info of store.list('dreamgym/offline/')) {
    if (!info.key.endsWith('/dataset.json')) continue;
    const dataset = await getJsonIfExists(store, info.key, OfflineDatasetSchema);
    if (dataset) out.push({ kind: 'offline trajectories', id: dataset.id, records: dataset.trajectories, key: info.key });
  }
  return out;
}
