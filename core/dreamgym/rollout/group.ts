import { describeError, UnavailableError } from '../../errors.ts';
import type { Task } from '../../env/environment.ts';
import type { Policy } from '../policy/policy.ts';
import { grpoAdvantages } from '../rl/advantages.ts';
import { outcomeReward } from '../rl/outcome.ts';
import type { OutcomeReward } from '../rl/outcome.ts';
import { GroupFailedError } from './errors.ts';
import type { Rollout } from './rollout.ts';
import type { Trajectory } from './trajectory.ts';

export interface RolloutFailure {
  readonly rollout: number;
  readonly error: string;
  readonly message: string;
}

/** Habit 8: the n rollouts of one task, the unit GRPO normalises over, with failed rollouts kept as data. */
export interface TrajectoryGroup {
  readonly task: Task;
  /** Completed rollouts, in rollout order, each with its group-relative advantage. */
  readonly trajectories: Trajectory[];
  readonly failures: RolloutFailure[];
}

export interface GroupOptions {
  readonly policy: Policy;
  readonly task: Task;
  readonly n: number;
  /** The rollout of index i (each with its own id and seed). */
  readonly rollout: (index: number) => Rollout;
  /** Rollouts in flight at once; all n by default. */
  readonly concurrency?: number;
  /** Failed rollouts tolerated before the whole group fails; ⌊n/4⌋ by default. */
  readonly maxFailures?: number;
  readonly advantageEpsilon?: number;
  /** What the advantages are computed from: the environment's final reward (default) or task success. */
  readonly outcome?: OutcomeReward;
}

/**
 * Runs the n rollouts of one task and attaches GRPO advantages computed over the completed ones' outcome rewards
 * (each trajectory keeps the environment's reward as its `reward`). Up to
 * `maxFailures` failed rollouts (an LLM answer that kept failing its schema, say) are dropped from the group and kept
 * as failure records; beyond that the group throws `GroupFailedError`, or, when its first failure was a dependency
 * that stayed down (`UnavailableError`: an LLM or environment endpoint, after its client's retries), that error
 * itself, so the run's failure names the endpoint and the cause.
 *
 * @example
 * const group = await runGroup({ policy, task, n: 8, rollout: (i) => createRollout(sessions, { id: `g/${i}`, seed: i }) });
 * group.trajectories.map((t) => t.advantage);
 */
export async function runGroup(options: GroupOptions): Promise<TrajectoryGroup> {
  const { n, task } = options;
  const maxFailures = options.maxFailures ?? Math.floor(n / 4);
  const concurrency = Math.max(1, Math.min(n, options.concurrency ?? n));
  const outcomes: Array<Trajectory | RolloutFailure> = new Array(n);
  let outage: UnavailableError | undefined;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const index = next++;
      try {
        outcomes[index] = await options.rollout(index)(options.policy, task);
      } catch (error) {
        if (error instanceof UnavailableError) outage ??= error;
        outcomes[index] = { rollout: index, error: (error as Error)?.name ?? 'Error', message: describeError(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const completed = outcomes.filter((o): o is Trajectory => 'messages' in o);
  const failures = outcomes.filter((o): o is RolloutFailure => !('messages' in o));
  if (failures.length > maxFailures || completed.length === 0) {
    if (outage) throw outage;
    throw new GroupFailedError(task.id, failures.length, n, failures[0]?.message ?? 'none');
  }
  const rewards = completed.map((t) => outcomeReward(t.reward, options.outcome ?? 'environment'));
  const advantages = grpoAdvantages(rewards, options.advantageEpsilon);
  return {
    task,
    trajectories: completed.map((t, i) => ({ ...t, advantage: advantages[i] })),
    failures,
  };
}
