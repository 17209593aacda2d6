import { InvalidInputError } from '../errors.ts';
import type { Rng } from '../random.ts';
import { randomFill } from './action-templates.ts';
import type { ActionContext, ScriptedPolicy } from './policy.ts';

export interface UniformPolicyOptions {
  /**
   * Share of steps that send an action that is not admissible, so offline data shows the experience model what
   * invalid actions lead to; 0.05 by default.
   */
  readonly invalidRate?: number;
}

/**
 * Uniform over the admissible actions (the paper's random policy), with an occasional invalid action; an action
 * template on offer (WebShop's search) is one more choice, filled with a random subset of the instruction's words.
 *
 * @example
 * const random = createUniformPolicy({ invalidRate: 0 });
 */
export function createUniformPolicy(options: UniformPolicyOptions = {}): ScriptedPolicy {
  const invalidRate = options.invalidRate ?? 0.05;
  if (!(invalidRate >= 0 && invalidRate <= 1)) {
    throw new InvalidInputError(`invalidRate must be in [0, 1], got ${invalidRate}`);
  }
  return {
    kind: 'random',
    act: (context) => uniformAction(context, invalidRate),
  };
}

export function uniformAction(context: ActionContext, invalidRate: number): string {
  const { admissibleActions, rng } = context;
  const templates = context.actionTemplates ?? [];
  if ((admissibleActions.length === 0 && templates.length === 0) || rng.next() < invalidRate) {
    return invalidAction(admissibleActions, rng);
  }
  // A template counts as one more choice, filled with a random subset of the instruction's keywords.
  if (templates.length > 0 && rng.next() < templates.length / (admissibleActions.length + templates.length)) {
    return randomFill(rng.pick(templates), context.task.instruction, context.observation.text, rng);
  }
  return rng.pick(admissibleActions);
}

/** An action outside the admissible set: a click on nothing, an empty search or free text. */
function invalidAction(admissible: readonly string[], rng: Rng): string {
  const shapes = [`click[missing-${rng.int(1000)}]`, 'search[]', 'buy it now'];
  return rng.pick(shapes.filter((shape) => !admissible.includes(shape)).concat('search[]'));
}
