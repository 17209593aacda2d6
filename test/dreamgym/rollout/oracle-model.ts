import type { Task } from '../../../core/env/environment.ts';
import type { ShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import type { ExperienceModel, ExperienceStepInput } from '../../../core/dreamgym/experience/experience-model.ts';

export interface OracleOptions {
  /** Throw on every step of these tasks (an experience model that keeps failing). */
  readonly failTasks?: ReadonlySet<string>;
  /** Return this text instead of the real next state after this many steps. */
  readonly corruptAfter?: number;
}

/**
 * A test double of an experience model: it replays the episode in the real `shop` to answer, so it is exact. Only
 * tests use it (the product's models learn from data); with it, synthetic rollouts must equal real ones.
 */
export function oracleExperienceModel(shop: ShopEnvironment, options: OracleOptions = {}): ExperienceModel & { steps: number } {
  const model = {
    name: 'oracle',
    steps: 0,
    async initialState(task: Task) {
      return shop.openEpisode().reset(task).text;
    },
    async step({ task, history, action }: ExperienceStepInput) {
      model.steps++;
      if (options.failTasks?.has(task.id)) throw new Error(`oracle refuses task ${task.id}`);
      if (options.corruptAfter !== undefined && history.length >= options.corruptAfter) {
        return { reasoning: 'corrupt', nextState: 'page: nowhere\nthis is not a shop state', reward: 0, done: false, valid: true };
      }
      const episode = shop.openEpisode();
      episode.reset(task);
      for (const step of history) episode.step(step.action);
      const result = episode.step(action);
      return { reasoning: 'replayed', nextState: result.observation.text, reward: result.reward, done: result.done, valid: result.valid };
    },
  };
  return model;
}
