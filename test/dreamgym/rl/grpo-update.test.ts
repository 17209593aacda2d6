import { describe, expect, it } from 'vitest';
import { actionFeatures } from '../../../core/env/shop/features/shop-features.ts';
import { instructionFacts } from '../../../core/env/shop/features/instruction-facts.ts';
import { BuiltinPolicyParamsSchema, initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import type { BuiltinPolicyParams } from '../../../core/dreamgym/policy/params.ts';
import { softmax } from '../../../core/dreamgym/policy/softmax.ts';
import { grpoAdvantages } from '../../../core/dreamgym/rl/advantages.ts';
import { grpoUpdate } from '../../../core/dreamgym/rl/grpo-update.ts';
import { TOY_ACTIONS, toyTrajectory } from './toy-trajectory.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

function probabilityOfNorth(params: BuiltinPolicyParams): number {
  const rows = actionFeatures(instructionFacts('walk somewhere'), 'a quiet room', TOY_ACTIONS);
  return softmax(params.weights, rows).probs[0];
}

/** A GRPO group of the toy task sampled from `params`: going north earns 1, staying earns 0. */
function toyGroup(actions: string[], params = initialBuiltinParams(SHOP_FEATURE_SET)) {
  const rewards = actions.map((a) => (a === 'go[north]' ? 1 : 0));
  const advantages = grpoAdvantages(rewards);
  const north = probabilityOfNorth(params);
  return actions.map((action, i) => toyTrajectory({
    id: `t${i}`, action, reward: rewards[i], advantage: advantages[i],
    logProb: Math.log(action === 'go[north]' ? north : 1 - north),
  }));
}

describe('GRPO update of the built-in policy', () => {
  it('moves probability towards the rewarded action', () => {
    // Prepare
    const before = initialBuiltinParams(SHOP_FEATURE_SET);
    // Act
    const { params: after } = grpoUpdate(before, toyGroup(['go[north]', 'stay[here]', 'stay[here]', 'go[north]']), { features: SHOP_POLICY.features });
    // Assess
    expect(probabilityOfNorth(before)).toBeCloseTo(0.5);
    expect(probabilityOfNorth(after)).toBeGreaterThan(0.55);
    expect(after.weights['generic:go']).toBeGreaterThan(0);
    expect(after.weights['generic:stay']).toBeLessThan(0);
  });

  it('moves away from the rewarded action when the signs of the advantages flip', () => {
    // Prepare
    const group = toyGroup(['go[north]', 'stay[here]']).map((t) => ({ ...t, advantage: -t.advantage! }));
    // Act
    const { params } = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, { features: SHOP_POLICY.features });
    // Assess
    expect(probabilityOfNorth(params)).toBeLessThan(0.45);
  });

  it('keeps converging over repeated updates', () => {
    // Act
    let params = initialBuiltinParams(SHOP_FEATURE_SET);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      params = grpoUpdate(params, toyGroup(['go[north]', 'stay[here]'], params), { features: SHOP_POLICY.features }).params;
      seen.push(probabilityOfNorth(params));
    }
    // Assess
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    expect(params.version).toBe(5);
  });

  it('learns nothing from a group whose rewards are all equal', () => {
    // Prepare
    const group = toyGroup(['go[north]', 'go[north]']);
    // Act
    const { params, stats } = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, { features: SHOP_POLICY.features });
    // Assess
    expect(group.every((t) => t.advantage === 0)).toBe(true);
    expect(params.weights).toEqual({});
    expect(stats.turns).toBe(0);
  });

  it('clips turns whose ratio already left the trust region', () => {
    // Prepare: the behaviour policy gave the action probability 0.1; the current one gives 0.5, a ratio of 5
    const group = [toyTrajectory({ id: 'a', action: 'go[north]', reward: 1, advantage: 1, logProb: Math.log(0.1) })];
    // Act
    const { params, stats } = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, { features: SHOP_POLICY.features, epochs: 1 });
    // Assess
    expect(stats.clippedFraction).toBe(1);
    expect(params.weights).toEqual({});
  });

  it('moves the policy less from the reference with the KL term than without it, and reports the KL', () => {
    // Prepare: an aggressive step on a batch that pulls hard towards one action
    const group = toyGroup(['go[north]', 'stay[here]', 'stay[here]', 'stay[here]']);
    const options = { optimizer: 'sgd' as const, learningRate: 20, epochs: 8, maxGradNorm: 100 };
    // Act
    const free = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, { features: SHOP_POLICY.features, ...options, klCoefficient: 0 });
    const held = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, { features: SHOP_POLICY.features, ...options, klCoefficient: 2 });
    // Assess: both move towards north, the penalised one less; the reported KL is the exact KL to π_ref
    const p = (params: BuiltinPolicyParams) => probabilityOfNorth(params);
    const exactKl = (q: number) => q * Math.log(q / 0.5) + (1 - q) * Math.log((1 - q) / 0.5);
    expect(p(held.params)).toBeGreaterThan(0.5);
    expect(p(free.params)).toBeGreaterThan(p(held.params));
    expect(held.stats.kl).toBeLessThan(free.stats.kl);
    expect(free.stats.kl).toBeCloseTo(exactKl(p(free.params)), 3);
    expect(held.stats.kl).toBeCloseTo(exactKl(p(held.params)), 3);
    expect(held.stats.klCoefficient).toBe(2);
    expect(free.stats.klCoefficient).toBe(0);
  });

  it('writes parameters that survive a JSON round trip through the store', () => {
    // Act
    const { params } = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), toyGroup(['go[north]', 'stay[here]']), { features: SHOP_POLICY.features });
    const restored = BuiltinPolicyParamsSchema.parse(JSON.parse(JSON.stringify(params)));
    // Assess
    expect(restored).toEqual(params);
    expect(probabilityOfNorth(restored)).toBe(probabilityOfNorth(params));
  });

  it('takes Adam steps of about the learning rate whatever the gradient\'s scale, and carries its moments to the next update', () => {
    // Prepare: the same group at two advantage scales 1,000 apart; one epoch, so each update is one optimizer step
    const group = toyGroup(['go[north]', 'stay[here]']);
    const scaled = group.map((t) => ({ ...t, advantage: t.advantage! / 1000 }));
    const adam = { features: SHOP_POLICY.features, optimizer: 'adam' as const, learningRate: 0.02, epochs: 1 };
    // Act
    const big = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), group, adam).params;
    const small = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), scaled, adam).params;
    const sgd = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), scaled, { ...adam, optimizer: 'sgd', learningRate: 5 }).params;
    // a second batch whose gradient is a tenth as large: the carried second moment shrinks its step, a fresh one not
    const weaker = toyGroup(['go[north]', 'stay[here]'], big).map((t) => ({ ...t, advantage: t.advantage! / 10 }));
    const second = grpoUpdate(big, weaker, adam).params;
    const restarted = grpoUpdate({ ...big, optimizer: undefined }, weaker, adam).params;
    // Assess: Adam's first bias-corrected step is lr·sign(g) on every weight with a gradient; sgd's scales with it
    expect(big.weights['generic:go']).toBeCloseTo(0.02, 6);
    expect(big.weights['generic:stay']).toBeCloseTo(-0.02, 6);
    expect(small.weights['generic:go']).toBeCloseTo(0.02, 4);
    expect(Math.abs(sgd.weights['generic:go'])).toBeLessThan(0.01);
    expect(big.optimizer).toMatchObject({ kind: 'adam', steps: 1 });
    expect(second.optimizer?.steps).toBe(2);
    const step = (params: BuiltinPolicyParams) => params.weights['generic:go'] - big.weights['generic:go'];
    expect(step(restarted)).toBeCloseTo(0.02, 4);
    expect(step(second)).toBeGreaterThan(0.005);
    expect(step(second)).toBeLessThan(0.9 * step(restarted));
    expect(BuiltinPolicyParamsSchema.parse(JSON.parse(JSON.stringify(second)))).toEqual(second);
  });

  it('takes no Adam step on a batch with nothing to learn from, whatever momentum it carries', () => {
    // Prepare
    const adam = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), toyGroup(['go[north]', 'stay[here]']), { features: SHOP_POLICY.features, optimizer: 'adam' }).params;
    // Act
    const { params } = grpoUpdate(adam, toyGroup(['go[north]', 'go[north]'], adam), { features: SHOP_POLICY.features, optimizer: 'adam' });
    // Assess
    expect(params.weights).toEqual(adam.weights);
    expect(params.optimizer).toEqual(adam.optimizer);
  });

  it('drops Adam\'s state when a plain gradient step follows it', () => {
    // Prepare
    const adam = grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), toyGroup(['go[north]', 'stay[here]']), { features: SHOP_POLICY.features, optimizer: 'adam' }).params;
    // Act
    const { params } = grpoUpdate(adam, toyGroup(['go[north]', 'stay[here]'], adam), { features: SHOP_POLICY.features, optimizer: 'sgd' });
    // Assess
    expect(adam.optimizer?.steps).toBe(4);
    expect(params.optimizer).toBeUndefined();
  });
});
