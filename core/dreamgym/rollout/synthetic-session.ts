import { InvalidInputError } from '../../errors.ts';
import type { Task } from '../../env/environment.ts';
import { INVALID_ACTION_TEXT } from '../../env/environment.ts';
import type { ExperienceModel, HistoryStep } from '../experience/experience-model.ts';
import type { RolloutSession, RolloutSessionFactory } from './rollout-session.ts';
import type { StateReader } from './state-reader.ts';

export interface SyntheticSessionOptions {
  readonly reader: StateReader;
  /** Steps before the episode ends unfinished, as the real environment's limit; 15 by default. */
  readonly maxSteps?: number;
  /** Counts experience-model steps (synthetic interactions). */
  readonly counter?: { steps: number };
  /**
   * Whether a predicted invalid action ends the episode in the failure state (true, the default, as the built-in
   * shop does); false for environments that answer invalid actions with the unchanged state (WebShop).
   */
  readonly invalidEnds?: boolean;
  /** Reads a task's instruction from its first state, for tasks listed before the environment told it (AgentGym). */
  readonly instructionFrom?: (state: string) => string | undefined;
}

/**
 * DreamGym's synthetic environment: the experience model's predicted state is the observation. The admissible
 * actions of a predicted state come from the state reader (for `shop`, the real page rules applied to the predicted
 * page). An invalid action ends the episode in the failure state with reward 0; a prediction the reader cannot read
 * ends it too, with reward 0, marked unreadable.
 *
 * @example
 * const sessions = syntheticSessions(model, { reader: shopStateReader });
 * const trajectory = await runRollout(policy, task, await sessions(), { seed: 1 });
 */
export function syntheticSessions(model: ExperienceModel, options: SyntheticSessionOptions): RolloutSessionFactory {
  return async () => syntheticSession(model, options);
}

/** One synthetic episode over `model` (the factory above opens one per rollout). */
export function syntheticSession(model: ExperienceModel, options: SyntheticSessionOptions): RolloutSession {
  const maxSteps = options.maxSteps ?? 15;
  let task: Task | undefined;
  let state = '';
  let history: HistoryStep[] = [];
  return {
    source: 'synthetic',
    async reset(next) {
      history = [];
      state = await model.initialState(next);
      // As a real server tells it at reset, the instruction comes with the first state
      const told = next.instruction === '' ? options.instructionFrom?.(state) : undefined;
      task = told ? { ...next, instruction: told } : next;
      const reading = options.reader.read(state, task);
      if (!reading.readable) {
        throw new InvalidInputError(`experience model ${model.name} wrote an unreadable first state for task ${next.id}`);
      }
      return { state, admissibleActions: reading.admissibleActions, task };
    },
    async step(action) {
      if (!task) throw new InvalidInputError('synthetic session: reset(task) before step');
      const predicted = await model.step({ task, history, state, action });
      if (options.counter) options.counter.steps++;
      history = [...history, { state, action }];
      const steps = history.length;
      if (!predicted.valid && (options.invalidEnds ?? true)) {
        state = INVALID_ACTION_TEXT;
        return { state, admissibleActions: [], reward: 0, done: true, valid: false, truncated: false, unreadable: false };
      }
      if (!predicted.valid) {
        const truncated = steps >= maxSteps;
        const reading = options.reader.read(state, task);
        const admissibleActions = truncated || !reading.readable ? [] : (reading.admissibleActions ?? []);
        return { state, admissibleActions, reward: 0, done: truncated, valid: false, truncated, unreadable: false };
      }
      state = predicted.nextState;
      const reading = options.reader.read(state, task);
      if (!reading.readable) {
        return { state, admissibleActions: [], reward: 0, done: true, valid: true, truncated: false, unreadable: true };
      }
      const ended = predicted.done || reading.terminal;
      const truncated = !ended && steps >= maxSteps;
      const done = ended || truncated;
      const admissibleActions = done ? [] : reading.admissibleActions;
      return { state, admissibleActions, reward: predicted.reward, done, valid: true, truncated, unreadable: false };
    },
    close: async () => {},
  };
}
