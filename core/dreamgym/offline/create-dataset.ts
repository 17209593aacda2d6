import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors.ts';
import { getJsonIfExists } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { EnvSpecSchema, IdSchema } from '../../ids.ts';
import { openEnvironment } from '../../env/open-environment.ts';
import { environmentDataKey, environmentKind } from '../../env/environment-kinds.ts';
import { offlinePolicies } from '../../env/offline-policies.ts';
import { defaultTaskRanges } from '../../env/task-ranges.ts';
import { listRangeTasks, rangeTaskCount, sessionRangeKey, userRange } from '../../env/session-range.ts';
import { offlineDatasetPrefix, readOfflineDatasetInfo, writeOfflineDataset, type OfflineDataset } from './dataset-store.ts';
import { generateOfflineTrajectories } from './generate.ts';

/** Tasks an offline dataset plays when the request names no count (the whole range where it holds fewer). */
export const DEFAULT_OFFLINE_TASK_COUNT = 1000;

export const OfflineDatasetRequestSchema = z.object({
  env: EnvSpecSchema.default('shop').describe('`shop` or the base URL of an AgentGym-protocol server'),
  expert: z.number().int().min(0).max(1_000_000).default(0).describe('scripted-expert episodes (environments whose kind brings a scripted expert: shop, plug-ins with one)'),
  noisy: z.number().int().min(0).max(1_000_000).default(0).describe('ε-noisy expert episodes (environments whose kind brings a scripted expert: shop, plug-ins with one)'),
  random: z.number().int().min(0).max(1_000_000).default(0).describe('uniform-random episodes'),
  seed: z.number().int().min(0).default(1),
  /**
   * Tasks used, as a range of the environment's task list; held-out evaluation uses a disjoint range. By default
   * the start of the environment's offline range (0 for `shop`, 1,500 for WebShop, 0 for ALFWorld).
   */
  taskOffset: z.number().int().min(0).optional(),
  /** Step between the tasks used (`--task-stride`): offset, offset + stride, …; 1 by default. */
  taskStride: z.number().int().min(1).optional(),
  taskCount: z.number().int().min(1).max(1_000_000).optional()
    .describe(`tasks played (episodes cycle through them); ${DEFAULT_OFFLINE_TASK_COUNT} by default, or the whole offline range where it holds fewer`),
  concurrency: z.number().int().min(1).max(256).default(8),
  dataset: IdSchema.optional().describe('dataset id; derived from the options when absent'),
});
export type OfflineDatasetRequest = z.infer<typeof OfflineDatasetRequestSchema>;

/**
 * Generates real offline trajectories (`reverie dreamgym offline`) and writes them to the store as a dataset.
 * The same request always writes the same records under the same id, so a re-run duplicates nothing.
 *
 * @example
 * const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 1000, random: 1000 }));
 */
export async function createOfflineDataset(
  store: Store,
  request: OfflineDatasetRequest,
  onProgress?: (done: number, total: number) => void,
): Promise<OfflineDataset> {
  const total = request.expert + request.noisy + request.random;
  if (total === 0) throw new InvalidInputError('ask for at least one episode (--expert, --noisy or --random)');
  const env = openEnvironment(request.env, { shop: { seed: request.seed } });
  const policies = offlinePolicies(environmentKind(request.env), env);
  if (!policies.expert && (request.expert > 0 || request.noisy > 0)) {
    throw new InvalidInputError(`${request.env} has no scripted expert (only the built-in shop and plug-ins that bring one do): `
      + 'use --random, or import expert trajectories with `reverie dreamgym import`');
  }
  const range = userRange(defaultTaskRanges(request.env).offline, { offset: request.taskOffset, stride: request.taskStride }, 'offline');
  const defaultCount = rangeTaskCount(range, undefined, DEFAULT_OFFLINE_TASK_COUNT);
  const taskCount = request.taskCount ?? defaultCount;
  const tasks = await listRangeTasks(env, range, taskCount, 'offline', '--tasks');
  // Another task count names another dataset (was the same id: a second count's statistics over the first one's records)
  const id = request.dataset ?? offlineDatasetId(request.env, request, sessionRangeKey(range), taskCount === defaultCount ? undefined : taskCount);
  const plan = { expert: request.expert, noisy: request.noisy, random: request.random };
  const made = await claimDataset(store, id, { env: request.env, plan, seed: request.seed, range: sessionRangeKey(range), taskCount });
  if (made) return made;
  const records = generateOfflineTrajectories({ env, tasks, policies, plan, seed: request.seed, concurrency: request.concurrency });
  let done = 0;
  const counted = (async function* () {
    for await (const record of records) {
      done++;
      if (done % 50 === 0 || done === total) onProgress?.(done, total);
      yield record;
    }
  })();
  return writeOfflineDataset(store, id, counted, { env: request.env, plan, seed: request.seed });
}

/** A dataset id derived from what made it: the server's key (so two servers never share one), plan, seed and task range (`sessionRangeKey`). */
export function offlineDatasetId(
  env: string,
  plan: { readonly expert: number; readonly noisy: number; readonly random: number; readonly seed: number },
  range: string,
  taskCount?: number,
): string {
  return `${environmentDataKey(env)}-e${plan.expert}-n${plan.noisy}-r${plan.random}-s${plan.seed}-t${range}${taskCount === undefined ? '' : `-c${taskCount}`}`;
}

const DatasetRequestSchema = z.object({
  env: z.string(), plan: z.record(z.string(), z.number()), seed: z.number(), range: z.string(), taskCount: z.number(),
});
type DatasetRequest = z.infer<typeof DatasetRequestSchema>;

/**
 * Records which request makes dataset `id` (create-only, `request.json` beside its parts) before any part is
 * written. The same request again gets the finished dataset back (or finishes an interrupted one: its records are
 * the same); another request under that id is a ConflictError naming both, so no dataset holds two requests' parts.
 */
async function claimDataset(store: Store, id: string, request: DatasetRequest): Promise<OfflineDataset | undefined> {
  const key = `${offlineDatasetPrefix(id)}/request.json`;
  const body = JSON.stringify(request);
  if (!(await store.putIfAbsent(key, `${body}\n`))) {
    const stored = await getJsonIfExists(store, key, DatasetRequestSchema);
    if (stored && JSON.stringify(stored) !== body) {
      throw new ConflictError(`offline dataset "${id}" exists from another request (${describeRequest(stored)}; this one: ${describeRequest(request)}); `
        + 'name another one (--dataset) or repeat the first request');
    }
  }
  try {
    return await readOfflineDatasetInfo(store, id);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function describeRequest(r: DatasetRequest): string {
  const plan = Object.entries(r.plan).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${r.env}, ${plan}, seed ${r.seed}, ${r.taskCount} tasks from range ${r.range}`;
}
