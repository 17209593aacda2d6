import { describe, expect, it } from 'vitest';
import { babyaiProfile, resetBody, sciworldProfile } from '../../core/env/agentgym/profiles/index.ts';
import { environmentKind } from '../../core/env/environment-kinds.ts';

// First observations as AgentGym's SciWorld and BabyAI servers word them (agentenv-sciworld, agentenv-babyai)
const SCIWORLD = 'Your task is to boil water. For compounds without a boiling point, combusting the substance is also acceptable. '
  + 'First, focus on the substance. Then, take actions that will cause it to change its state of matter.\n'
  + 'This room is called the hallway. In it, you see: \n\tthe agent\n\ta substance called air';
const BABYAI = 'Your goal: go to the red ball\nIn front of you in this room, you can see several objects: There is a grey box 1 right 2 steps away.';

describe('the SciWorld and BabyAI profiles', () => {
  it('read the instruction from the first observation, and nothing from a later one', () => {
    expect(sciworldProfile.instructionFrom(SCIWORLD)).toMatch(/^Your task is to boil water\. For compounds/);
    expect(sciworldProfile.instructionFrom('This room is called the kitchen.')).toBeUndefined();
    expect(babyaiProfile.instructionFrom(BABYAI)).toBe('go to the red ball');
    expect(babyaiProfile.instructionFrom('You see a wall 2 steps forward.')).toBeUndefined();
  });

  it('reset with data_idx set to the session, score as the reward, and no admissible-action list', () => {
    for (const profile of [sciworldProfile, babyaiProfile]) {
      expect(resetBody(profile.resetBody, 17)).toEqual({ data_idx: 17 });
      expect(profile).toMatchObject({ idField: 'id', rewardField: 'score', actions: 'none' });
    }
  });

  it('give the built-in policy the text features, and the curriculum nothing to vary', () => {
    for (const name of ['sciworld', 'babyai']) {
      const kind = environmentKind(`http://127.0.0.1:1#profile=${name}`);
      expect(kind).toMatchObject({ name, policyFeatures: { featureSet: 'text-v1' } });
      expect(kind.curriculum).toBeUndefined();
    }
  });
});
