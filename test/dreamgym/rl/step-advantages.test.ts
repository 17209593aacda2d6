import { describe, expect, it } from 'vitest';
import { stepAdvantages } from '../../../core/dreamgym/rl/step-credit.ts';
import type { CreditEpisode } from '../../../core/dreamgym/rl/step-credit.ts';

const ep = (states: string[], advantage: number, group = 'task'): CreditEpisode => ({ group, states, advantage });

describe('step advantages within a GRPO group', () => {
  it('compares a turn with the other rollouts at its state, or with the whole group where it is alone', () => {
    // Prepare: both start at s; a success goes on to a, a failure to b
    const episodes = [ep(['s', 'a'], 1), ep(['s', 'b'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference' });
    // Assess: at s, V̂(a) = 1 against the other rollout's −1; at a, alone, the outcome 1 against the others' mean −1
    expect(steps[0]).toEqual([2, 2]);
    expect(steps[1]).toEqual([-2, -2]);
  });

  it('does not blame a failure for the right move a success made too, and blames its later mistake', () => {
    // Prepare: states s → g (the good page) → i (the right item); the success buys right at i, one failure buys
    // wrong at i, another leaves g for a wrong item w. Advantages of outcomes [1, 0, 0]: mean 1/3, std √2/3
    const [success, failure] = [Math.SQRT2, -1 / Math.SQRT2];
    const episodes = [ep(['s', 'g', 'i'], success), ep(['s', 'g', 'i'], failure), ep(['s', 'g', 'w'], failure)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference' });
    // Assess: V̂(i) = (√2 − 1/√2)/2, which is also the other rollouts' mean at g for the failure that opened i
    const vi = (success + failure) / 2;
    expect(steps[1][1]).toBeCloseTo(0, 12); // the failure's opening of the right item: not blamed (plain GRPO: −1/√2)
    expect(steps[1][2]).toBeCloseTo(failure - success, 12); // its purchase, against the success's at i
    expect(steps[2][1]).toBeCloseTo(failure - vi, 12); // opening the wrong item
    expect(steps[0][1]).toBeCloseTo(vi - failure, 12);
    expect(steps[1][0]).toBeCloseTo(0 - vi, 12); // V̂(g) = 0 against the other two at s
    // GiGPO's step advantage blames the same opening: the failure's return is below its step group's mean at g
    expect(stepAdvantages(episodes, { kind: 'gigpo' })[1][1]).toBeLessThan(-0.5);
  });

  it('discounts value-difference returns with γ', () => {
    // Prepare
    const episodes = [ep(['s', 'a'], 1), ep(['s', 'b'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference', discount: 0.5 });
    // Assess: returns-to-go at s are ±0.5; 0.5·V̂(a) − (−0.5) = 1; the last turns as without discount
    expect(steps[0]).toEqual([1, 2]);
    expect(steps[1]).toEqual([-1, -2]);
  });

  it('normalises GiGPO returns within each anchor state and gives a state seen once 0', () => {
    // Prepare: three episodes share s, two share g, one alone reaches x
    const episodes = [ep(['s', 'g'], 2), ep(['s', 'g'], -1), ep(['s', 'x'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'gigpo', epsilon: 0 });
    // Assess: at s the returns 2, −1, −1 (mean 0, std √2); at g 2, −1 (mean 0.5, std 1.5)
    expect(steps[0][0]).toBeCloseTo(2 / Math.SQRT2, 12);
    expect(steps[1][0]).toBeCloseTo(-1 / Math.SQRT2, 12);
    expect(steps[0][1]).toBeCloseTo(1, 12);
    expect(steps[1][1]).toBeCloseTo(-1, 12);
    expect(steps[2][1]).toBe(0);
  });

  it('discounts GiGPO returns-to-go by the turns left', () => {
    // Prepare: the success reaches s one turn before its end, the failure at its end
    const episodes = [ep(['s', 'a'], 1), ep(['t', 's'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'gigpo', discount: 0.5, epsilon: 0 });
    // Assess: returns at s are 0.5 and −1 (mean −0.25, std 0.75)
    expect(steps[0][0]).toBeCloseTo(1, 12);
    expect(steps[1][1]).toBeCloseTo(-1, 12);
    expect(steps[0][1]).toBe(0);
  });

  it('never compares turns of different tasks', () => {
    // Prepare: the same state texts in another task's group
    const one = [ep(['s', 'a'], 1, 'one'), ep(['s', 'b'], -1, 'one')];
    const two = [ep(['s', 'a'], -3, 'two'), ep(['s', 'b'], 3, 'two')];
    // Act, Assess
    for (const kind of ['value-difference', 'gigpo'] as const) {
      expect(stepAdvantages([...one, ...two], { kind }).slice(0, 2)).toEqual(stepAdvantages(one, { kind }));
    }
  });
});
