import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { readOfflineDatasetInfo, readOfflinePart, writeOfflineDataset } from '../dreamgym/offline/dataset-store.ts';
import type { OfflineDataset } from '../dreamgym/offline/dataset-store.ts';
import { generateOfflineTrajectories } from '../dreamgym/offline/generate.ts';
import type { TrajectoryRecord } from '../dreamgym/offline/trajectory-record.ts';
import { environmentDataKey, environmentKind } from '../env/environment-kinds.ts';
import { offlinePolicies } from '../env/offline-policies.ts';
import { defaultTaskRanges } from '../env/task-ranges.ts';
import { listRangeTasks } from '../env/session-range.ts';
import type { EnvironmentFactory, Task } from '../env/environment.ts';
import { branchEnvironment } from './branch-environment.ts';

/**
 * D_expert: the successful trajectories of the expert policy. Failed expert episodes are left out, since their
 * actions are not the ones to learn from.
 */
export function isExpertDemonstration(record: TrajectoryRecord): boolean {
  return record.policy === 'expert' && record.success;
}

/**
 * The tasks generated demonstrations play: the first `count` of the environment's offline range. The size-matched
 * control plays the same ones.
 */
export function expertTasks(env: Pick<EnvironmentFactory, 'tasks'>, spec: string, count: number, flag?: string): Promise<Task[]> {
  return listRangeTasks(env, defaultTaskRanges(spec).offline, count, 'offline', flag);
}

/** The id of the demonstrations generated for a run without a dataset (`early-shop-c…` for the built-in shop). */
export function generatedDatasetId(env: string, shopSeed: number, experts: number, seed: number): string {
  return `early-${environmentDataKey(env)}-c${shopSeed}-e${experts}-s${seed}`;
}

/**
 * The offline dataset to branch from: the named one, or (for an environment whose kind brings a scripted expert,
 * such as `shop`, without one) `experts` expert episodes on the environment's first tasks, generated once and kept
 * as an ordinary offline dataset.
 *
 * @example
 * const info = await resolveExpertDataset(store, { env: 'shop', experts: 100, seed: 0, shopSeed: 0 });
 * info.id; // 'early-shop-c0-e100-s0'
 */
export async function resolveExpertDataset(
  store: Store,
  options: { env?: string; dataset?: string; experts: number; seed: number; shopSeed: number },
): Promise<OfflineDataset> {
  if (options.dataset) return readOfflineDatasetInfo(store, options.dataset);
  const spec = options.env ?? 'shop';
  const kind = environmentKind(spec);
  if (!kind.expert) {
    throw new InvalidInputError(`early experience on "${spec}" needs a dataset of expert trajectories `
      + `(generated demonstrations exist only where the environment brings a scripted expert, and ${kind.name} has none; `
      + 'import them with `reverie dreamgym import`)');
  }
  const id = generatedDatasetId(spec, options.shopSeed, options.experts, options.seed);
  try {
    return await readOfflineDatasetInfo(store, id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const env = branchEnvironment(spec, options.shopSeed);
    const plan = { expert: options.experts };
    const records = generateOfflineTrajectories({
      env, tasks: await expertTasks(env, spec, options.experts, '--experts'), policies: offlinePolicies(kind, env), plan, seed: options.seed,
    });
    return writeOfflineDataset(store, id, records, { env: spec, plan, seed: options.seed });
  }
}

/**
 * Checks, before a run starts, that a named dataset holds at least one expert demonstration: a dataset of random
 * or imported-but-failed episodes gives early experience nothing to branch from, an InvalidInputError (exit 2).
 *
 * @example
 * await requireExpertDemonstrations(store, 'webshop-k3j9x0-e0-n0-r40-s1-t1500'); // throws: no expert trajectories
 */
export async function requireExpertDemonstrations(store: Store, datasetId: string): Promise<void> {
  const info = await readOfflineDatasetInfo(store, datasetId);
  for (const part of info.parts) {
    const parsed = await readOfflinePart(store, info.id, part);
    if (parsed.records.some(isExpertDemonstration)) return;
  }
  throw new InvalidInputError(`dataset "${datasetId}" holds no expert trajectories (successful episodes of policy "expert"), `
    + 'so there is nothing to branch from; import expert demonstrations with `reverie dreamgym import` or name another --dataset');
}
