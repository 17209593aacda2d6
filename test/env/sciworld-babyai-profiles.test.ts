import { describe, expect, it } from 'vitest';
import { babyaiActionsIn, babyaiProfile } from '../../core/env/agentgym/profiles/babyai.ts';
import { readSciWorldHint, sciworldProfile } from '../../core/env/agentgym/profiles/sciworld.ts';
import { UnavailableError } from '../../core/errors.ts';
import { sessionRangeIds } from '../../core/env/session-range.ts';

const URL = 'http://127.0.0.1:1/action_hint';

describe('the SciWorld profile', () => {
  it('fills /action_hint templates with the objects it lists: no slot, one slot, then two distinct objects', () => {
    const actions = readSciWorldHint({ possible_actions: ['look around', 'go to LOC', 'move OBJ to OBJ'], possible_objects: ['fork', 'red box', 'fork'] }, URL);
    expect(actions).toEqual(['look around', 'go to fork', 'go to red box', 'move fork to red box', 'move red box to fork']);
  });

  it('offers at most 500 of them, the one-slot ones before any pair', () => {
    const objects = Array.from({ length: 40 }, (_, i) => `thing ${i}`);
    const actions = readSciWorldHint({ possible_actions: ['connect OBJ to OBJ', 'focus on OBJ', 'wait'], possible_objects: objects }, URL);
    expect(actions).toHaveLength(500);
    expect(actions.slice(0, 41)).toEqual(['wait', ...objects.map((o) => `focus on ${o}`)]);
  });

  it('names the URL and the server\'s message when the hint is an error answer', () => {
    expect(() => readSciWorldHint({ error: 'The id 4 is not valid.' }, URL)).toThrow(UnavailableError);
    expect(() => readSciWorldHint({ error: 'The id 4 is not valid.' }, URL)).toThrow(`${URL} answered The id 4 is not valid.`);
  });

  it('maps ScienceWorld\'s 0–100 score to a reward where 1 is done, and reads the task description line', () => {
    expect([-100, 0, 50, 100].map((s) => sciworldProfile.toReward!(s, false))).toEqual([0, 0, 0.5, 1]);
    expect(sciworldProfile.instructionFrom('Your task is to boil water. First, focus on the substance.\nThis room is called the kitchen.'))
      .toBe('Your task is to boil water. First, focus on the substance.');
  });
});

describe('the BabyAI profile', () => {
  it('reads the action list that ends an observation, and nothing from text without one', () => {
    expect(babyaiActionsIn('You see a wall.\nAvailable actions: ["turn left", "turn right", "go to red ball 1"]')).toEqual(['turn left', 'turn right', 'go to red ball 1']);
    expect(babyaiActionsIn('You see a wall.')).toBeUndefined();
    expect(babyaiActionsIn('Available actions: ["turn left", ')).toBeUndefined();
  });

  it('gives reward 1 once the server says done, whatever MiniGrid\'s discounted score, and the score before that', () => {
    expect(babyaiProfile.toReward!(0.72, true)).toBe(1);
    expect(babyaiProfile.toReward!(0, false)).toBe(0);
    expect(babyaiProfile.toReward!(0.4, false)).toBe(0.4);
    expect(babyaiProfile.instructionFrom('Your goal: go to the red ball\nIn front of you…')).toBe('go to the red ball');
  });

  it('covers every one of the 40 levels in each default range', () => {
    for (const range of Object.values(babyaiProfile.ranges)) {
      const levels = new Set(sessionRangeIds(range).map((id) => (id % 40) + 1));
      expect(levels.size).toBe(40);
    }
  });
});
