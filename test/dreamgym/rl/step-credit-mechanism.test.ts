import { describe, expect, it } from 'vitest';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import type { BuiltinPolicyParams } from '../../../core/dreamgym/policy/params.ts';
import { softmax } from '../../../core/dreamgym/policy/softmax.ts';
import { grpoAdvantages } from '../../../core/dreamgym/rl/advantages.ts';
import { grpoUpdate } from '../../../core/dreamgym/rl/grpo-update.ts';
import type { GrpoOptions } from '../../../core/dreamgym/rl/grpo-update.ts';
import type { Trajectory } from '../../../core/dreamgym/rollout/trajectory.ts';
import { handEpisode } from '../../helpers/shop-episode.ts';
import type { EpisodeStep } from '../../helpers/shop-episode.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

// Benchmark seed 2's collapse in small (README "Why real-env GRPO collapses"): the group's failures opened the right
// product from a good results page and then failed on its item page (bought without choosing the colour); the one
// success opened the same product, chose red and bought; one more failure opened a worse match. Every turn of an episode shares its advantage, and each
// episode's turns share 1/|o_i| of the objective, so under plain GRPO the short failures' "open P0001" turns
// outweigh the success's, and the update lowers the right action on the good page.
const instruction = 'find me cotton t-shirt with color: red, and price lower than 30.00 dollars';
const TASK = { id: 'tee', instruction };
const SEARCH = 'page: search';
const SEARCH_ACTIONS = ['search[t-shirt]', 'search[cotton t-shirt red]'];
const GOOD = ['page: results', 'query: cotton t-shirt red', 'showing: page 1 of 1, 3 results',
  'P0001: acme cotton slim fit t-shirt $12.50', 'P0002: summit cotton crew neck t-shirt $14.00', 'P0003: acme fleece hoodie $25.00'].join('\n');
const GOOD_ACTIONS = ['click[P0001]', 'click[P0002]', 'click[P0003]', 'click[back to search]'];
const item = (selected: string) => ['page: item', 'query: cotton t-shirt red', 'item: P0001', 'title: acme cotton slim fit t-shirt',
  'price: $12.50', 'attributes: cotton, slim fit', 'option color: red, navy', ...(selected ? [`selected: ${selected}`] : [])].join('\n');
const ITEM_ACTIONS = ['click[red]', 'click[navy]', 'click[buy now]', 'click[< prev]', 'click[back to search]'];

type Step = EpisodeStep;

const episode = (id: string, steps: readonly Step[], reward: number, advantage: number): Trajectory => handEpisode(id, TASK, steps, reward, advantage);

/**
 * One success and three failures that all open P0001 on the good page, the failures then buying without the colour;
 * `wrong` more failures (one by default) open P0002 instead.
 */
function openedRightThenFailed(wrong = 1): Trajectory[] {
  const open: Step[] = [[SEARCH, SEARCH_ACTIONS, 'search[cotton t-shirt red]'], [GOOD, GOOD_ACTIONS, 'click[P0001]']];
  const success: Step[] = [...open, [item(''), ITEM_ACTIONS, 'click[red]'], [item('red'), ITEM_ACTIONS, 'click[buy now]']];
  const failure: Step[] = [...open, [item(''), ITEM_ACTIONS, 'click[buy now]']];
  const elsewhere: Step[] = [open[0], [GOOD, GOOD_ACTIONS, 'click[P0002]'], [item('').replaceAll('P0001', 'P0002'), ITEM_ACTIONS, 'click[buy now]']];
  const advantages = grpoAdvantages([1, 0, 0, 0, ...Array.from({ length: wrong }, () => 0)]);
  return [episode('s', success, 1, advantages[0]), ...[1, 2, 3].map((i) => episode(`f${i}`, failure, 0, advantages[i])),
    ...Array.from({ length: wrong }, (_, k) => episode(`w${k}`, elsewhere, 0, advantages[4 + k]))];
}

function probability(params: BuiltinPolicyParams, state: string, actions: readonly string[], action: string, earlier: readonly string[]): number {
  const rows = SHOP_POLICY.features.actionFeatures(instruction, state, actions, earlier);
  return softmax(params.weights, rows).probs[actions.indexOf(action)];
}

function update(options: Partial<GrpoOptions>): BuiltinPolicyParams {
  return grpoUpdate(initialBuiltinParams(SHOP_FEATURE_SET), openedRightThenFailed(), { features: SHOP_POLICY.features, ...options }).params;
}

describe('GRPO per-turn credit', () => {
  const openRight = (params: BuiltinPolicyParams) => probability(params, GOOD, GOOD_ACTIONS, 'click[P0001]', ['search[cotton t-shirt red]']);
  const chooseRed = (params: BuiltinPolicyParams) => probability(params, item(''), ITEM_ACTIONS, 'click[red]', ['search[cotton t-shirt red]', 'click[P0001]']);
  const start = initialBuiltinParams(SHOP_FEATURE_SET);

  it('lowers opening the right product under plain GRPO when the failures opened it too', () => {
    // Act
    const plain = update({});
    // Assess: the failing mechanism this change addresses
    expect(openRight(plain)).toBeLessThan(openRight(start));
  });

  it('raises opening the right product with value-difference step credit, and blames the item page', () => {
    // Act
    const credited = update({ stepCredit: 1, stepCreditKind: 'value-difference' });
    // Assess
    expect(openRight(credited)).toBeGreaterThan(openRight(start));
    expect(chooseRed(credited)).toBeGreaterThan(chooseRed(start));
  });

  it('mixes the episode objective and the per-turn one linearly in ω', () => {
    // Prepare: one plain gradient step (one epoch from the sampling policy, small): the update is linear in each turn's coefficient
    const step = (stepCredit: number) => update({ stepCredit, optimizer: 'sgd', epochs: 1, learningRate: 0.01 }).weights;
    // Act
    const [plain, half, perTurn] = [step(0), step(0.5), step(1)];
    // Assess
    const names = new Set([...Object.keys(plain), ...Object.keys(perTurn)]);
    expect(names.size).toBeGreaterThan(5);
    for (const name of names) expect(half[name] ?? 0).toBeCloseTo(((plain[name] ?? 0) + (perTurn[name] ?? 0)) / 2, 5);
    expect(Object.keys(perTurn).some((name) => Math.abs((perTurn[name] ?? 0) - (plain[name] ?? 0)) > 1e-4)).toBe(true);
  });

  it('keeps plain GRPO at ω = 0: neither per-turn credit leaks into the update', () => {
    // Act
    const [gigpo, valueDifference] = [update({ stepCredit: 0, stepCreditKind: 'gigpo' }), update({ stepCredit: 0, stepCreditKind: 'value-difference' })];
    // Assess: the kind of per-turn credit makes no difference at ω = 0 (it does at ω = 1), and the update is plain GRPO's
    expect(gigpo.weights).toEqual(valueDifference.weights);
    expect(update({ stepCredit: 1, stepCreditKind: 'gigpo' }).weights).not.toEqual(update({ stepCredit: 1, stepCreditKind: 'value-difference' }).weights);
    expect(openRight(gigpo)).toBeLessThan(openRight(start));
  });
});
