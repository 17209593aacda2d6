import { describe, expect, it } from 'vitest';
import { stepAdvantages } from '../../../core/dreamgym/rl/step-credit.ts';
import type { CreditEpisode } from '../../../core/dreamgym/rl/step-credit.ts';

const ep = (states: string[], advantage: number, group = 'task'): CreditEpisode => ({ group, states, advantage });

describe('step advantages within a GRPO group', () => {
  it('moves a value-difference credit to the turn where the episodes diverged', () => {
    // Prepare: both start at s; a success goes on to a, a failure to b
    const episodes = [ep(['s', 'a'], 1), ep(['s', 'b'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference' });
    // Assess: V̂(s) = 0, V̂(a) = 1, V̂(b) = −1; the first turns lead to states worth 1 and −1, the last ones add nothing
    expect(steps[0]).toEqual([1, 0]);
    expect(steps[1]).toEqual([-1, 0]);
  });

  it('credits a shared right move that a failure made, and blames its later mistake', () => {
    // Prepare: states s → g (the good page) → i (the right item); the success buys right at i, one failure buys
    // wrong at i, another leaves g for a wrong item w. Advantages of outcomes [1, 0, 0]: mean 1/3, std √2/3
    const [success, failure] = [Math.SQRT2, -1 / Math.SQRT2];
    const episodes = [ep(['s', 'g', 'i'], success), ep(['s', 'g', 'i'], failure), ep(['s', 'g', 'w'], failure)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference' });
    // Assess: V̂(s) = V̂(g) = 0, V̂(i) = (√2 − 1/√2)/2 = 1/(2√2), V̂(w) = −1/√2
    const vi = 1 / (2 * Math.SQRT2);
    expect(steps[1][0]).toBeCloseTo(0, 12);
    expect(steps[1][1]).toBeCloseTo(vi, 12); // the failure's opening of the right item is credited
    expect(steps[1][2]).toBeCloseTo(failure - vi, 12); // and its purchase blamed
    expect(steps[2][1]).toBeCloseTo(-1 / Math.SQRT2, 12);
    expect(steps[0][2]).toBeCloseTo(success - vi, 12);
    // every episode's step advantages sum to its own advantage (γ = 1, one start state)
    episodes.forEach((e, k) => expect(steps[k].reduce((a, b) => a + b, 0)).toBeCloseTo(e.advantage, 12));
  });

  it('discounts value-difference returns with γ', () => {
    // Prepare
    const episodes = [ep(['s', 'a'], 1), ep(['s', 'b'], -1)];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference', discount: 0.5 });
    // Assess: returns-to-go at s are ±0.5 (mean 0); δ_0 = 0.5·V̂(a) − V̂(s) = 0.5, δ_1 = 1 − V̂(a) = 0
    expect(steps[0]).toEqual([0.5, 0]);
    expect(steps[1]).toEqual([-0.5, 0]);
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
    // Prepare: the same state text in two groups
    const episodes = [ep(['s', 'a'], 1, 'one'), ep(['s', 'b'], -1, 'one'), ep(['s', 'c'], 5, 'two')];
    // Act
    const steps = stepAdvantages(episodes, { kind: 'value-difference' });
    const gigpo = stepAdvantages(episodes, { kind: 'gigpo' });
    // Assess
    expect(steps[0]).toEqual([1, 0]);
    expect(steps[2]).toEqual([0, 0]);
    expect(gigpo[2]).toEqual([0, 0]);
  });
});
