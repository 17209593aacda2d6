import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { commitBatch, readBatchObject, readManifest } from '../../store/batch.ts';
import { getJsonIfExists, putJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { parseTrajectoryJsonl, toJsonl, type MalformedRecord, type ParsedRecords } from './parse-records.ts';
import type { TrajectoryRecord } from './trajectory-record.ts';

const ROOT = 'dreamgym/offline';
const FILE = 'trajectories.jsonl';

export const OfflineDatasetSchema = z.object({
  id: z.string(),
  env: z.string(),
  parts: z.array(z.string()),
  trajectories: z.number().int().nonnegative(),
  transitions: z.number().int().nonnegative(),
  successRate: z.number(),
  plan: z.record(z.string(), z.number()),
  seed: z.number().int(),
  createdAt: z.string(),
});
export type OfflineDataset = z.infer<typeof OfflineDatasetSchema>;

/** Store prefix of an offline dataset: parts are committed batches `part-00000/…`, `dataset.json` is written last. */
export function offlineDatasetPrefix(id: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new InvalidInputError(`dataset id "${id}" must be lowercase letters, digits, ".", "_" or "-"`);
  return `${ROOT}/${id}`;
}

/**
 * Writes offline trajectories as committed parts of `partSize` records, then the dataset descriptor. Parts are
 * create-only batches, so re-running the same generation (same seed, same plan) rewrites nothing and duplicates nothing.
 *
 * @example
 * const dataset = await writeOfflineDataset(store, 'shop-e1000-r1000-s1', records, { env: 'shop', plan, seed: 1 });
 */
export async function writeOfflineDataset(
  store: Store,
  id: string,
  records: AsyncIterable<TrajectoryRecord>,
  meta: { env: string; plan: Record<string, number>; seed: number; partSize?: number; onPart?: (written: number) => void },
): Promise<OfflineDataset> {
  const prefix = offlineDatasetPrefix(id);
  const partSize = meta.partSize ?? 500;
  const parts: string[] = [];
  let buffer: TrajectoryRecord[] = [];
  let trajectories = 0, transitions = 0, successes = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const part = `part-${String(parts.length).padStart(5, '0')}`;
    await commitBatch(store, `${prefix}/${part}`, [{ name: FILE, body: toJsonl(buffer) }], { records: buffer.length });
    parts.push(part);
    buffer = [];
    meta.onPart?.(trajectories);
  };
  for await (const record of records) {
    buffer.push(record);
    trajectories++;
    transitions += record.steps.length;
    if (record.success) successes++;
    if (buffer.length >= partSize) await flush();
  }
  await flush();
  const dataset: OfflineDataset = {
    id, env: meta.env, parts, trajectories, transitions, successRate: trajectories ? successes / trajectories : 0,
    plan: meta.plan, seed: meta.seed, createdAt: new Date().toISOString(),
  };
  await putJson(store, `${prefix}/dataset.json`, dataset);
  return dataset;
}

export async function readOfflineDatasetInfo(store: Store, id: string): Promise<OfflineDataset> {
  const info = await getJsonIfExists(store, `${offlineDatasetPrefix(id)}/dataset.json`, OfflineDatasetSchema);
  if (!info) throw new NotFoundError(`no offline dataset "${id}" in ${store.uri} (create it with \`reverie dreamgym offline\`)`);
  return info;
}

/** Whether the store holds a complete offline dataset under this id. */
export async function offlineDatasetExists(store: Store, id: string): Promise<boolean> {
  return (await getJsonIfExists(store, `${offlineDatasetPrefix(id)}/dataset.json`, OfflineDatasetSchema)) !== undefined;
}

/**
 * Reads every committed part of an offline dataset. Malformed lines are returned with their object key and line
 * (never dropped silently), so callers report and skip them.
 */
export async function readOfflineDataset(store: Store, id: string): Promise<{ dataset: OfflineDataset; records: TrajectoryRecord[]; malformed: MalformedRecord[] }> {
  const dataset = await readOfflineDatasetInfo(store, id);
  const records: TrajectoryRecord[] = [];
  const malformed: MalformedRecord[] = [];
  for (const part of dataset.parts) {
    const parsed = await readOfflinePart(store, id, part);
    records.push(...parsed.records);
    malformed.push(...parsed.malformed);
  }
  return { dataset, records, malformed };
}

/**
 * One committed part of an offline dataset, parsed. Everyone who reads a part (plans and the chunks they fan out to)
 * reads the same checksummed bytes, so record indices agree; malformed lines come back with their key and line.
 *
 * @example
 * const { records, malformed } = await readOfflinePart(store, 'shop-s1', 'part-00002');
 */
export async function readOfflinePart(store: Store, dataset: string, part: string): Promise<ParsedRecords> {
  const batch = `${offlineDatasetPrefix(dataset)}/${part}`;
  const manifest = await readManifest(store, batch);
  if (!manifest) throw new InvalidInputError(`offline dataset "${dataset}" lists part "${part}", which is not committed`);
  const text = new TextDecoder().decode(await readBatchObject(store, manifest, FILE));
  return parseTrajectoryJsonl(text, { source: `${batch}/${FILE}` });
}
