import { openEnvironment } from '../../env/open-environment.ts';
import { environmentKind } from '../../env/environment-kinds.ts';
import { offlinePolicies } from '../../env/offline-policies.ts';
import { generateOfflineTrajectories } from '../offline/generate.ts';
import type { TrajectoryRecord } from '../offline/trajectory-record.ts';
import { listRangeTasks, type SessionRange } from '../../env/session-range.ts';

/**
 * Real trajectories on a task range an experience model never learned from, for consistency evaluation: where the
 * kind has a scripted expert (`shop`) 40% expert, 30% noisy and 30% random episodes; elsewhere random ones.
 *
 * @example
 * const heldOut = await heldOutTrajectories({ env: 'shop', count: 500, range: { start: 1_000_000, end: 2_000_000 }, seed: 2 });
 */
export async function heldOutTrajectories(options: {
  env: string;
  count: number;
  /** The held-out tasks: the first `count` of this range. */
  range: SessionRange;
  seed: number;
  shopSeed?: number;
}): Promise<TrajectoryRecord[]> {
  const env = openEnvironment(options.env, { shop: { seed: options.shopSeed ?? options.seed } });
  const policies = offlinePolicies(environmentKind(options.env), env);
  const expert = policies.expert ? Math.round(options.count * 0.4) : 0;
  const noisy = policies.expert ? Math.round(options.count * 0.3) : 0;
  const plan = { expert, noisy, random: options.count - expert - noisy };
  const tasks = await listRangeTasks(env, options.range, options.count, 'held-out');
  const out: TrajectoryRecord[] = [];
  for await (const record of generateOfflineTrajectories({ env, tasks, policies, plan, seed: options.seed, concurrency: 8 })) out.push(record);
  return out;
}
