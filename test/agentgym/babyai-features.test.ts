import { describe, expect, it } from 'vitest';
import { babyaiFeatures } from '../../core/env/agentgym/profiles/babyai-features.ts';
import { babyaiProfile } from '../../core/env/agentgym/profiles/babyai.ts';

const named = (rows: ReadonlyArray<readonly [string, number]>) => Object.fromEntries(rows.filter(([, v]) => v !== 0));

describe('BabyAI features of the built-in policy', () => {
  it('are the BabyAI profile\'s, and mark the action that names the mission\'s object, crossed with the mission verb', () => {
    expect(babyaiProfile.features?.featureSet).toBe('babyai-v2');
    const actions = ['turn left', 'go to red ball 1', 'go to red key 1', 'pickup red ball 1', 'check available actions'];
    const [turn, target, sameColor, pickup, check] = babyaiFeatures.actionFeatures('go to the red ball', 'state', actions, []).map(named);
    expect(target).toEqual({ 'baby:go-to': 1, 'baby:go-to*target': 1, 'baby:go-to*target*go-to': 1 });
    expect(sameColor).toEqual({ 'baby:go-to': 1, 'baby:go-to*color': 1 });
    expect(pickup).toEqual({ 'baby:pickup': 1, 'baby:pickup*target': 1, 'baby:pickup*target*go-to': 1 });
    expect(turn).toEqual({ 'baby:turn-left': 1, 'baby:turn-left*in-view': 1 });
    expect(check).toEqual({ 'baby:check': 1 });
  });

  it('tell turns apart when the mission\'s object is out of view and after turns, and a repeated check by its own weight only', () => {
    const actions = ['turn right', 'go to blue key 1', 'check available actions'];
    const [turn, , check] = babyaiFeatures.actionFeatures('pick up the red ball', 'state', actions, ['check available actions', 'turn left', 'turn left']).map(named);
    expect(turn).toEqual({ 'baby:turn-right': 1, 'baby:turn-right*unseen': 1, 'baby:turn-right*after-turns': 0.5 });
    expect(check).toEqual({ 'baby:check:repeat': 1 });
  });
});
