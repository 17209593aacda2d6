import { INVALID_ACTION_TEXT } from '../../../env/environment.ts';
import type { RetrievedTransition } from '../experience-model.ts';

export interface ComposedStep {
  readonly nextState: string;
  readonly reward: number;
  readonly done: boolean;
  readonly valid: boolean;
  readonly reasoning: string;
}

/**
 * The generic composition, for environments whose state format the model does not read: the nearest real
 * neighbour's outcome, taken whole. With no neighbour at all the action cannot be interpreted: invalid.
 */
export function composeGenericStep(neighbours: readonly RetrievedTransition[], action: string): ComposedStep {
  const nearest = neighbours.find((n) => n.transition.source !== 'rollout') ?? neighbours[0];
  if (!nearest) {
    return { nextState: INVALID_ACTION_TEXT, reward: 0, done: true, valid: false, reasoning: `No experience resembles ${action}; treated as invalid.` };
  }
  const t = nearest.transition;
  const reasoning = `The most similar transition (similarity ${nearest.similarity.toFixed(3)}) took ${t.action} in a like state; its outcome is reused.`;
  return { nextState: t.nextState, reward: t.reward, done: t.done, valid: t.valid, reasoning };
}
