import { InvalidInputError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import { environmentKind } from '../../env/environment-kinds.ts';
import { offlinePolicies } from '../../env/offline-policies.ts';
import { openEnvironment } from '../../env/open-environment.ts';
import { generateOfflineTrajectories } from '../../dreamgym/offline/generate.ts';
import type { TrajectoryRecord } from '../../dreamgym/offline/trajectory-record.ts';
import { expertTasks } from '../expert-demos.ts';

/** Rounds of episodes tried before giving up: each round plays every task once per policy. */
const MAX_ROUNDS = 64;

export interface ControlOptions {
  /** The environment the experts played (`shop` by default); its kind must bring a scripted expert. */
  readonly env?: string;
  /** Catalog seed of the built-in shop (the experts' catalog). */
  readonly shopSeed: number;
  /**
   * The first taskCount tasks of the environment's offline range: the experts' tasks (`expertTasks`), so the
   * control explores the same tasks.
   */
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
  const spec = options.env ?? 'shop';
  const env = openEnvironment(spec, { shop: { seed: options.shopSeed } });
  const policies = offlinePolicies(environmentKind(spec), env);
  if (!policies.noisy) throw new InvalidInputError(`the size-matched control plays ε-noisy expert episodes, and ${spec} has no scripted expert`);
  // The experts' own tasks (was tasks from 0, which for a kind whose offline range starts elsewhere the experts never played)
  const tasks = await expertTasks(env, spec, options.taskCount);
  const out: TrajectoryRecord[] = [];
  let transitions = 0;
  for (let round = 0; transitions < options.transitions; round++) {
    if (round === MAX_ROUNDS) throw new InvalidInputError(`${MAX_ROUNDS} rounds of control episodes hold only ${transitions} of ${options.transitions} transitions`);
    const records: TrajectoryRecord[] = [];
    const seed = hashSeed(`early-control:${options.seed}:${round}`);
    const plan = { noisy: tasks.length, random: tasks.length };
    for await (const record of generateOfflineTrajectories({ env, tasks, policies, plan, seed, concurrency: 8 })) records.push(record);
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
