import { describe, expect, it } from 'vitest';
import { alfworldFeatures } from '../../core/env/agentgym/profiles/alfworld-features.ts';
import { environmentKind } from '../../core/env/environment-kinds.ts';

const GOAL = 'put some apple in cabinet 1.';
const named = (row: ReadonlyArray<readonly [string, number]>) => Object.fromEntries(row.filter(([, v]) => v !== 0));

describe('the ALFWorld features of the built-in policy', () => {
  it('are the alfworld profile\'s, and other AgentGym servers get the text features', () => {
    expect(environmentKind('http://127.0.0.1:1#profile=alfworld').policyFeatures.featureSet).toBe('alfworld-v1');
    expect(environmentKind('http://127.0.0.1:1').policyFeatures.featureSet).toBe('text-v1');
  });

  it('mark taking the goal\'s object where the observation shows it, and not another object', () => {
    const state = 'You arrive at desk 1. On the desk 1, you see a apple 1, a pen 1.';
    const [apple, pen] = alfworldFeatures.actionFeatures(GOAL, state, ['take apple 1 from desk 1', 'take pen 1 from desk 1'], ['go to desk 1']);
    expect(named(apple)).toEqual({ 'alf:take': 1, 'alf:take*object': 1, 'alf:take*seen': 1 });
    expect(named(pen)).toEqual({ 'alf:take': 1 });
  });

  it('mark going to the goal\'s receptacle while holding the asked object, and new places while empty-handed', () => {
    const holding = alfworldFeatures.actionFeatures(GOAL, 'You pick up the apple 1 from the desk 1.', ['go to cabinet 1', 'go to desk 1'],
      ['go to desk 1', 'take apple 1 from desk 1']);
    expect(named(holding[0])).toEqual({ 'alf:go-to': 1, 'alf:go-to*new': 1, 'alf:go-to*target': 1, 'alf:go-to*target*holding': 1 });
    expect(named(holding[1])).toEqual({ 'alf:go-to': 1 });
    const [fresh] = alfworldFeatures.actionFeatures(GOAL, 'You are in the middle of a room.', ['go to shelf 1'], []);
    expect(named(fresh)).toEqual({ 'alf:go-to': 1, 'alf:go-to*new': 1, 'alf:go-to*new*empty-handed': 1 });
  });

  it('give a command sent before only its repeat indicator', () => {
    const [look, put] = alfworldFeatures.actionFeatures(GOAL, 'You arrive at cabinet 1.', ['look', 'put apple 1 in/on cabinet 1'], ['look']);
    expect(named(look)).toEqual({ 'alf:look:repeat': 1 });
    expect(named(put)).toEqual({ 'alf:put': 1, 'alf:put*object': 1, 'alf:put*place': 1, 'alf:put*object*place': 1 });
  });
});
