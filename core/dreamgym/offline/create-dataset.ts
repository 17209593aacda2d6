import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import type { Store } from '../../store/store.ts';
import { EnvSpecSchema, IdSchema } from '../../ids.ts';
import { openEnvironment } from '../../env/open-environment.ts';
import { environmentDataKey, environmentKind } from '../../env/environment-kinds.ts';
import { offlinePolicies } from '../../env/offline-policies.ts';
import { defaultTaskRanges } from '../../env/task-ranges.ts';
import { listRangeTasks, sessionRangeKey, userRange } from '../../env/session-range.ts';
import { writeOfflineDataset, type OfflineDataset } from './dataset-store.ts';
import { generateOfflineTrajectories } from './generate.ts';

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
  taskCount: z.number().int().min(1).max(1_000_000).default(1000),
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
  const tasks = await listRangeTasks(env, range, request.taskCount, 'offline', '--tasks');
  const id = request.dataset ?? offlineDatasetId(request.env, request, sessionRangeKey(range));
  const plan = { expert: request.expert, noisy: request.noisy, random: request.random };
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
): string {
  return `${environmentDataKey(env)}-e${plan.expert}-n${plan.noisy}-r${plan.random}-s${plan.seed}-t${range}`;
}
