import { describe, expect, it } from 'vitest';
import { actionFeatures } from '../../../core/env/shop/features/shop-features.ts';
import { instructionFacts } from '../../../core/env/shop/features/instruction-facts.ts';
import type { BuiltinPolicyParams } from '../../../core/dreamgym/policy/params.ts';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import { softmax } from '../../../core/dreamgym/policy/softmax.ts';
import { grpoAdvantages } from '../../../core/dreamgym/rl/advantages.ts';
import { grpoUpdate } from '../../../core/dreamgym/rl/grpo-update.ts';
import type { Trajectory, TrajectoryMessage } from '../../../core/dreamgym/rollout/trajectory.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

// Episodes of list/search turns on free-text states (the policy's generic features), to check how the turn
// discount spreads an episode's advantage over its turns.
const INSTRUCTION = 'find a red lamp';
const LIST = 'a list of lamps';
const SEARCH = 'a search box';
const LIST_ACTIONS = ['click[open]', 'click[back]'];
const SEARCH_ACTIONS = ['search[lamp]'];

function rows(state: string, actions: readonly string[]) {
  return actionFeatures(instructionFacts(INSTRUCTION), state, actions);
}

function probs(params: BuiltinPolicyParams, state: string, actions: readonly string[]): number[] {
  return softmax(params.weights, rows(state, actions)).probs;
}

/** An episode of list/search turns (each `open`, `back` or `search`), sampled from `params`, with its reward. */
function episode(id: string, turns: readonly string[], reward: number, advantage: number, params: BuiltinPolicyParams): Trajectory {
  const messages: TrajectoryMessage[] = [{ type: 'context', role: 'system', content: 'rules' }];
  turns.forEach((turn, t) => {
    const [state, actions] = turn === 'search' ? [SEARCH, SEARCH_ACTIONS] : [LIST, LIST_ACTIONS];
    const action = turn === 'search' ? 'search[lamp]' : `click[${turn}]`;
    messages.push({ type: 'context', role: 'user', content: state });
    messages.push({
      type: 'trainable', role: 'assistant', content: `Action: ${action}`, action, state, nextState: 'next',
      reward: t === turns.length - 1 ? reward : 0, valid: true, done: t === turns.length - 1, admissibleActions: actions,
      logProb: Math.log(probs(params, state, actions)[actions.indexOf(action)]),
    });
  });
  return {
    id, messages, reward, advantage,
    metrics: { steps: turns.length, success: reward >= 1, invalidActions: 0, unparseableActions: 0, unreadableStates: 0, truncated: false },
    metadata: { taskId: 'lamp', instruction: INSTRUCTION, task: {}, source: 'real', policyVersion: 'builtin-v1', rollout: 0, seed: 0 },
  };
}

describe('GRPO turn credit', () => {
  it('gives a turn k turns before the end γ^k of its advantage', () => {
    // Prepare: a two-turn success (back, then open) against a one-turn failure (back); one epoch, so the update is
    // linear in each turn's advantage
    const start = initialBuiltinParams(SHOP_FEATURE_SET);
    const group = [episode('a', ['back', 'open'], 1, 1, start), episode('b', ['back'], 0, -1, start)];
    const update = (turnDiscount: number) => grpoUpdate(start, group, { features: SHOP_POLICY.features, optimizer: 'sgd', turnDiscount, epochs: 1 }).params.weights;
    // Act
    const plain = update(1);
    const half = update(0.5);
    const lastTurnsOnly = update(1e-12);
    // Assess: every weight is the last turns' part plus γ × the first turn's part
    for (const name of ['generic:click:back', 'generic:click:open', 'generic:click:repeat']) {
      expect(half[name] ?? 0).toBeCloseTo(((plain[name] ?? 0) + (lastTurnsOnly[name] ?? 0)) / 2, 5);
    }
    // the first turn of the success (back) is what the discount halves: its push towards back
    expect(plain['generic:click:back']).toBeGreaterThan(half['generic:click:back']);
    expect(lastTurnsOnly['generic:click:open']).toBeGreaterThan(0);
  });

});
