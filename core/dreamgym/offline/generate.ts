import { InvalidInputError } from '../../errors.ts';
import { createRng, hashSeed } from '../../random.ts';
import type { EnvironmentFactory, EnvironmentSession, Task } from '../../env/environment.ts';
import type { PolicyKind, ScriptedPolicy } from '../../env/policy.ts';
import { runEpisode } from './run-episode.ts';
import type { TrajectoryRecord } from './trajectory-record.ts';

/** How many episodes of each policy kind to run. */
export type OfflinePlan = Readonly<Record<PolicyKind, number>>;

export interface OfflineGenerationOptions {
  readonly env: EnvironmentFactory;
  /** Episode k (counted over all kinds, experts first) plays `tasks[k % tasks.length]`. */
  readonly tasks: readonly Task[];
  readonly policies: Readonly<Partial<Record<PolicyKind, ScriptedPolicy>>>;
  readonly plan: Partial<OfflinePlan>;
  readonly seed: number;
  /** Episodes in flight at once (each on its own session); 1 by default. Records still come out in order. */
  readonly concurrency?: number;
}

interface EpisodeSpec {
  readonly kind: PolicyKind;
  readonly index: number;
  readonly task: Task;
  readonly policy: ScriptedPolicy;
}

/**
 * Runs the planned expert, noisy and random episodes and yields one record per episode, in a fixed order with
 * deterministic ids (`<env label>-<kind>-<index>`) and seeds, so the same options give the same records.
 *
 * @example
 * const shop = createShopEnvironment({ seed: 1 });
 * const records = generateOfflineTrajectories({
 *   env: shop, tasks: await shop.tasks({ count: 100 }), policies: shopOfflinePolicies(shop),
 *   plan: { expert: 50, noisy: 30, random: 20 }, seed: 1,
 * });
 * for await (const record of records) console.log(record.id, record.success); // shop-expert-000000 true …
 */
export async function* generateOfflineTrajectories(
  options: OfflineGenerationOptions,
): AsyncGenerator<TrajectoryRecord> {
  const specs = planEpisodes(options);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const idle: EnvironmentSession[] = [];
  const running: Promise<TrajectoryRecord>[] = [];
  const start = async (spec: EpisodeSpec): Promise<TrajectoryRecord> => {
    const session = idle.pop() ?? (await options.env.open());
    try {
      const record = await runRecord(options, spec, session);
      idle.push(session);
      return record;
    } catch (error) {
      await session.close().catch(() => {});
      throw error;
    }
  };
  let next = 0;
  try {
    while (next < specs.length || running.length > 0) {
      while (next < specs.length && running.length < concurrency) {
        const episode = start(specs[next++]);
        // Awaited in order below; this only keeps a failure that is not awaited yet from counting as unhandled.
        episode.catch(() => {});
        running.push(episode);
      }
      yield await running.shift()!;
    }
  } finally {
    await Promise.allSettled(running);
    await Promise.allSettled(idle.map((session) => session.close()));
  }
}

function planEpisodes(options: OfflineGenerationOptions): EpisodeSpec[] {
  const specs: EpisodeSpec[] = [];
  const kinds: PolicyKind[] = ['expert', 'noisy', 'random'];
  for (const kind of kinds) {
    const count = options.plan[kind] ?? 0;
    if (!Number.isInteger(count) || count < 0) {
      throw new InvalidInputError(`offline plan needs a non-negative integer count of ${kind} episodes, got ${count}`);
    }
    if (count === 0) continue;
    const policy = options.policies[kind];
    if (!policy) {
      throw new InvalidInputError(`offline plan asks for ${count} ${kind} episodes but has no ${kind} policy`);
    }
    if (options.tasks.length === 0) throw new InvalidInputError('offline plan has episodes to run but no tasks');
    for (let index = 0; index < count; index++) {
      specs.push({ kind, index, task: options.tasks[specs.length % options.tasks.length], policy });
    }
  }
  return specs;
}

async function runRecord(
  options: OfflineGenerationOptions,
  spec: EpisodeSpec,
  session: EnvironmentSession,
): Promise<TrajectoryRecord> {
  const seed = hashSeed(`offline:${options.seed}:${spec.kind}:${spec.index}`);
  const outcome = await runEpisode(session, spec.task, spec.policy, createRng(seed));
  return {
    id: `${options.env.label}-${spec.kind}-${String(spec.index).padStart(6, '0')}`,
    env: options.env.spec,
    task: outcome.task,
    policy: spec.kind,
    seed,
    steps: outcome.steps,
    finalReward: outcome.finalReward,
    success: outcome.success,
  };
}
