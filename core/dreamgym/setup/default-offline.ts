import { NotFoundError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/store.ts';
import { environmentKind } from '../../env/environment-kinds.ts';
import { defaultTaskRanges } from '../../env/task-ranges.ts';
import { rangeTaskCount, sessionRangeKey, type SessionRange } from '../../env/session-range.ts';
import { createOfflineDataset, offlineDatasetId, OfflineDatasetRequestSchema } from '../offline/create-dataset.ts';
import { readOfflineDatasetInfo, type OfflineDataset } from '../offline/dataset-store.ts';
import type { OfflinePlan } from '../offline/generate.ts';

/** The default offline episodes of a kind with a scripted expert: 1,000 expert, 500 noisy and 500 random. */
const EXPERT_OFFLINE_PLAN: OfflinePlan = { expert: 1000, noisy: 500, random: 500 };
/** The default offline episodes of a kind without one: 2,000 random. */
const RANDOM_OFFLINE_PLAN: OfflinePlan = { expert: 0, noisy: 0, random: 2000 };
/** How many tasks the default offline data plays at most, the first of the environment's offline range. */
const DEFAULT_OFFLINE_TASKS = 2000;

/** What an environment's default offline dataset holds: its plan and the tasks it plays. */
export interface DefaultOffline {
  readonly plan: OfflinePlan;
  /** The environment's default offline range (strided or interleaved where its profile says so). */
  readonly range: SessionRange;
  /** The first this many tasks of the range: 2,000, or the whole range where it holds fewer (BabyAI: 800). */
  readonly taskCount: number;
}

/**
 * The offline data DreamGym learns from when a run names none: the expert plan where the environment's kind brings a
 * scripted expert (the shop, a plug-in with one), 2,000 random episodes elsewhere, on the first 2,000 tasks of the
 * environment's offline range (all of it where it holds fewer, so the data never reaches the held-out or evaluation
 * tasks).
 *
 * @example
 * defaultOffline('shop'); // { plan: { expert: 1000, noisy: 500, random: 500 }, range: { start: 0, end: 1000000 }, taskCount: 2000 }
 */
export function defaultOffline(env: string): DefaultOffline {
  const range = defaultTaskRanges(env).offline;
  return {
    plan: environmentKind(env).expert ? EXPERT_OFFLINE_PLAN : RANDOM_OFFLINE_PLAN,
    range,
    taskCount: rangeTaskCount(range, undefined, DEFAULT_OFFLINE_TASKS),
  };
}

/**
 * The id of an environment's default offline dataset (see `ensureDefaultOfflineDataset`).
 *
 * @example
 * defaultOfflineDatasetId('shop', 1); // 'shop-e1000-n500-r500-s1-t0'
 */
export function defaultOfflineDatasetId(env: string, seed: number): string {
  const { plan, range, taskCount } = defaultOffline(env);
  // A range smaller than the default count names its count, so data an earlier Reverie stored under the plain id
  // (2,000 tasks, past the range's end) is never read back as this one.
  const capped = taskCount < DEFAULT_OFFLINE_TASKS ? `-c${taskCount}` : '';
  return `${offlineDatasetId(env, { ...plan, seed }, sessionRangeKey(range))}${capped}`;
}

/**
 * The default offline dataset of an environment (`defaultOffline`; for `shop` the catalog of this seed), generated on
 * first use and read back afterwards.
 *
 * @example
 * const dataset = await ensureDefaultOfflineDataset(store, 'shop', 1, log); // dataset.id: 'shop-e1000-n500-r500-s1-t0'
 */
export async function ensureDefaultOfflineDataset(store: Store, env: string, seed: number, log?: Logger): Promise<OfflineDataset> {
  const { plan, taskCount } = defaultOffline(env);
  // No offset: the dataset plays the environment's default offline range, strided or interleaved as it is.
  const request = OfflineDatasetRequestSchema.parse({ env, seed, ...plan, taskCount });
  const id = defaultOfflineDatasetId(env, seed);
  try {
    return await readOfflineDatasetInfo(store, id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    log?.info('generating the default offline dataset', { id, episodes: request.expert + request.noisy + request.random });
    return createOfflineDataset(store, { ...request, dataset: id });
  }
}
