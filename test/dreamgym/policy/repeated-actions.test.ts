import { describe, expect, it } from 'vitest';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { actionFeatures } from '../../../core/env/shop/features/shop-features.ts';
import { episodeMemory } from '../../../core/env/text-features.ts';
import { instructionFacts } from '../../../core/env/shop/features/instruction-facts.ts';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import type { TrajectoryMessage } from '../../../core/dreamgym/rollout/trajectory.ts';
import { createRng } from '../../../core/random.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const instruction = 'find me cotton t-shirt with color: red, and size: m, and price lower than 30.00 dollars';
const task = { id: 'tee', instruction };
const facts = instructionFacts(instruction);

function itemPage(color: string, size: string): string {
  return ['page: item', 'query: cotton t-shirt red m', 'item: P0001', 'title: acme cotton slim fit t-shirt', 'price: $12.50',
    'attributes: cotton, slim fit', `option color: ${color}`, `option size: ${size}`].join('\n');
}
const ITEM_ACTIONS = ['click[red]', 'click[navy]', 'click[s]', 'click[m]', 'click[buy now]', 'click[< prev]', 'click[back to search]'];

const RESULTS = ['page: results', 'query: cotton t-shirt red m', 'showing: page 1 of 1, 3 results',
  'P0001: acme cotton slim fit t-shirt $12.50', 'P0002: summit cotton crew neck t-shirt $14.00', 'P0003: acme fleece hoodie $25.00'].join('\n');
const RESULTS_ACTIONS = ['click[P0001]', 'click[P0002]', 'click[P0003]', 'click[back to search]'];

/** The policy's messages after these actions (only the actions matter to its episode memory). */
function taken(actions: string[]): TrajectoryMessage[] {
  return actions.map((action) => ({
    type: 'trainable', role: 'assistant', content: `Action: ${action}`, action, state: '', nextState: '', reward: 0, valid: true, done: false,
  }));
}

async function greedy(weights: Record<string, number>, state: string, actions: string[], history: string[]): Promise<string | undefined> {
  const policy = createBuiltinPolicy({ ...initialBuiltinParams(SHOP_FEATURE_SET), weights }, { ...SHOP_POLICY, mode: 'greedy' });
  return (await policy.act({ task, state, admissibleActions: actions, messages: taken(history), rng: createRng(1) })).action;
}

describe('built-in policy features of repeated actions', () => {
  it('gives re-selecting the selected value only its own indicator, apart from selecting an asked value', () => {
    // Act
    const rows = actionFeatures(facts, itemPage('[red], navy', 's, m'), ITEM_ACTIONS);
    // Assess
    expect(rows[0]).toEqual([['item:option:reselect', 1]]);
    expect(rows[1]).toEqual([['item:option:other', 1], ['item:option:other*replaces-asked', 1]]);
    expect(rows[2]).toEqual([['item:option:other', 1], ['item:option:other*replaces-asked', 0]]);
    expect(rows[3]).toEqual([['item:option:asked', 1]]);
  });

  it('buys once every asked option is selected, however much selecting asked options is worth', async () => {
    // Prepare: a policy that has learned to select asked options and to buy when all are selected
    const weights = { 'item:option:asked': 3, 'item:buy*all-done': 1 };
    // Act
    const next = await greedy(weights, itemPage('red, navy', 's, m'), ITEM_ACTIONS, ['click[P0001]']);
    const done = await greedy(weights, itemPage('[red], navy', 's, [m]'), ITEM_ACTIONS, ['click[P0001]', 'click[red]', 'click[m]']);
    // Assess: the selected values score 0, not the 3 of a first selection, so the greedy policy does not loop on them
    expect(['click[red]', 'click[m]']).toContain(next);
    expect(done).toBe('click[buy now]');
  });

  it('opens the best result not opened yet after going back, rather than the rejected one', async () => {
    // Prepare
    const history = ['search[cotton t-shirt red m]', 'click[P0001]', 'click[< prev]'];
    // Act
    const rows = actionFeatures(facts, RESULTS, RESULTS_ACTIONS, episodeMemory(history));
    const choice = await greedy({ 'results:item*best-match': 2, 'results:item*coverage': 1 }, RESULTS, RESULTS_ACTIONS, history);
    // Assess
    expect(rows[0]).toEqual([['results:revisit', 1]]);
    expect(rows[1]).toContainEqual(['results:item*best-match', 1]);
    expect(rows[2]).toContainEqual(['results:item*best-match', 0]);
    expect(choice).toBe('click[P0002]');
  });

  it('marks a search already made in the episode as a repeat', () => {
    // Prepare
    const actions = ['search[cotton t-shirt red m]', 'search[cotton t-shirt]'];
    // Act
    const rows = actionFeatures(facts, 'page: search', actions, episodeMemory(['search[Cotton  T-shirt red m]', 'click[back to search]']));
    // Assess
    expect(rows[0]).toEqual([['search:repeat', 1]]);
    expect(rows[1]).toContainEqual(['search:subject', 1]);
  });
});
