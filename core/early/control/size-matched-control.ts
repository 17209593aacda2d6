import { InvalidInputError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import { createShopEnvironment } from '../../env/shop/shop-environment.ts';
import { generateOfflineTrajectories } from '../../dreamgym/offline/generate.ts';
import { shopOfflinePolicies } from '../../env/shop/offline-policies.ts';
import type { TrajectoryRecord } from '../../dreamgym/offline/trajectory-record.ts';

/** Rounds of episodes tried before giving up: each round plays every task once per policy. */
const MAX_ROUNDS = 64;

export interface ControlOptions {
  /** Catalog seed of the built-in shop (the experts' catalog). */
  readonly shopSeed: number;
  /** Tasks 0 … taskCount − 1 of that catalog: the experts' tasks, so the control explores the same tasks. */
  readonly taskCount: number;
  /** Transitions to reach: the number of branch transitions the control stands in for. */
  readonly transitions: number;
  readonly seed: number;
}

/**
 * The size-matched control for early-experience branching: plain ε-noisy and uniform-random episodes on the
 * experts' own tasks, from the task's start (no branching from expert states), alternating noisy and random, until
 * they hold at least `transitions` real transitions. Buffer "experts + control" then has about as many transitions
 * as "experts + branches", so a difference between the two is due to branching, not to buffer size.
 *
 * @example
 * const control = await sizeMatchedControl({ shopSeed: 1, taskCount: 200, transitions: 3373, seed: 1 });
 * control.reduce((n, r) => n + r.steps.length, 0); // ≥ 3373, within one episode of it
 */
export async function sizeMatchedControl(options: ControlOptions): Promise<TrajectoryRecord[]> {
  if (!Number.isInteger(options.taskCount) || options.taskCount < 1) throw new InvalidInputError(`the control needs at least one task, got ${options.taskCount}`);
  if (!Number.isInteger(options.transitions) || options.transitions < 0) throw new InvalidInputError(`transitions must be a non-negative integer, got ${options.transitions}`);
  const shop = createShopEnvironment({ seed: options.shopSeed });
  const tasks = await shop.tasks({ count: options.taskCount });
  const policies = shopOfflinePolicies(shop);
  const out: TrajectoryRecord[] = [];
  let transitions = 0;
  for (let round = 0; transitions < options.transitions; round++) {
    if (round === MAX_ROUNDS) throw new InvalidInputError(`${MAX_ROUNDS} rounds of control episodes hold only ${transitions} of ${options.transitions} transitions`);
    const records: TrajectoryRecord[] = [];
    const seed = hashSeed(`early-control:${options.seed}:${round}`);
    const plan = { noisy: tasks.length, random: tasks.length };
    for await (const record of generateOfflineTrajectories({ env: shop, tasks, policies, plan, seed, concurrency: 8 })) records.push(record);
    // Noisy episode i and random episode i both play task i; take them in turn.
    for (let i = 0; i < tasks.length && transitions < options.transitions; i++) {
      for (const record of [records[i], records[tasks.length + i]]) {
        if (transitions >= options.transitions) break;
        out.push({ ...record, id: `${record.id}-r${round}` });
        transitions += record.steps.length;
      }
    }
  }
  return out;
}
