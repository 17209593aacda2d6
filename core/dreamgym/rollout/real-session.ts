import type { EnvironmentFactory, EnvironmentSession } from '../../env/environment.ts';
import type { RolloutSession, RolloutSessionFactory } from './rollout-session.ts';

/**
 * Rollouts against a real environment. Every `step` is one real interaction; the session counts them, since the
 * results table compares methods by how many they needed.
 *
 * @example
 * const counter = { steps: 0 };
 * const sessions = realSessions(createShopEnvironment({ seed: 1 }), counter);
 */
export function realSessions(env: EnvironmentFactory, counter?: { steps: number }): RolloutSessionFactory {
  return async () => realSession(await env.open(), counter);
}

/** One open environment session as a rollout session. */
export function realSession(session: EnvironmentSession, counter?: { steps: number }): RolloutSession {
  return {
    source: 'real',
    async reset(task) {
      const observation = await session.reset(task);
      return { state: observation.text, admissibleActions: await session.admissibleActions() };
    },
    async step(action) {
      const result = await session.step(action);
      if (counter) counter.steps++;
      const admissibleActions = result.done ? [] : await session.admissibleActions();
      return {
        state: result.observation.text,
        admissibleActions,
        reward: result.reward,
        done: result.done,
        valid: result.valid,
        truncated: result.info.truncated === true,
        unreadable: false,
      };
    },
    close: () => session.close(),
  };
}
