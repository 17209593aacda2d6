import type { EnvironmentFactory, EnvironmentSession } from '../../env/environment.ts';
import { candidateActions } from '../../env/candidate-actions.ts';
import type { RolloutSession, RolloutSessionFactory } from './rollout-session.ts';

/**
 * Rollouts against a real environment. Every `step` is one real interaction; the session counts them, since the
 * results table compares methods by how many they needed. The actions offered are the admissible ones and the
 * environment's action templates filled from the instruction (WebShop's `search[<query>]`); the instruction is
 * the one the environment told at reset.
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
  let instruction = '';
  return {
    source: 'real',
    async reset(task) {
      const observation = await session.reset(task);
      const known = session.task ?? task;
      instruction = known.instruction;
      return { state: observation.text, admissibleActions: await candidateActions(session, instruction, observation.text), task: known };
    },
    async step(action) {
      const result = await session.step(action);
      if (counter) counter.steps++;
      const admissibleActions = result.done ? [] : await candidateActions(session, instruction, result.observation.text);
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
