import { describe, expect, it } from 'vitest';
import { consistencyCases } from '../../../core/dreamgym/consistency/cases.ts';
import { evaluateConsistency } from '../../../core/dreamgym/consistency/evaluate-consistency.ts';
import type { ExperienceModel, ExperienceStep, ExperienceStepInput } from '../../../core/dreamgym/experience/experience-model.ts';
import type { TrajectoryRecord } from '../../../core/dreamgym/offline/trajectory-record.ts';
import { shopRecords } from '../replay/shop-buffer.ts';
import { shopStateAgreement } from '../../../core/env/shop/state-agreement.ts';

/** A model that answers from a lookup of the real transitions, optionally bent by `change`. */
function replayModel(records: readonly TrajectoryRecord[], change: (step: ExperienceStep, input: ExperienceStepInput) => ExperienceStep = (s) => s): ExperienceModel {
  const truth = new Map(records.flatMap((r) => r.steps.map((s, i) => [`${r.task.id}|${i}|${s.action}`, s] as const)));
  return {
    name: 'replay',
    initialState: async () => 'page: search',
    step: async (input) => {
      const real = truth.get(`${input.task.id}|${input.history.length}|${input.action}`)!;
      return change({ reasoning: '', nextState: real.nextState, reward: real.reward, done: real.done, valid: real.valid }, input);
    },
  };
}

describe('consistency evaluation', () => {
  it('scores a model that reproduces the real environment as fully consistent', async () => {
    // Prepare
    const records = await shopRecords({ expert: 10, random: 10 }, 9_000, 5);
    // Act
    const report = await evaluateConsistency({ agreement: shopStateAgreement, model: replayModel(records), trajectories: records });
    // Assess
    expect(report).toMatchObject({ agreement: 'shop', nextStateAgreement: 1, strictTextAgreement: 1, rewardAgreement: 1, invalidActionAgreement: 1, doneAgreement: 1, terminalTransitions: 20 });
    expect(report.transitions).toBe(records.reduce((n, r) => n + r.steps.length, 0));
    expect(report.byKind['search→results'].transitions).toBeGreaterThan(0);
  });

  it('measures terminal reward agreement within the tolerance, and only at real done steps', async () => {
    const records = await shopRecords({ expert: 10 }, 9_000, 5);
    const off = (by: number) => replayModel(records, (s) => ({ ...s, reward: s.done ? Math.max(0, s.reward - by) : 0.5 }));
    expect((await evaluateConsistency({ agreement: shopStateAgreement, model: off(0.04), trajectories: records })).rewardAgreement).toBe(1);
    const report = await evaluateConsistency({ agreement: shopStateAgreement, model: off(0.2), trajectories: records, rewardTolerance: 0.1 });
    expect(report.rewardAgreement).toBe(0);
    expect(report.terminalRewardError).toBeCloseTo(0.2, 6);
    expect(report.successAgreement).toBe(0);
  });

  it('counts wrong next states, missed invalid actions and model failures, with examples', async () => {
    // Prepare
    const records = await shopRecords({ random: 30 }, 9_000, 7);
    const cases = consistencyCases(records);
    const realInvalid = cases.filter((c) => !c.transition.valid).length;
    let calls = 0;
    const model = replayModel(records, (s) => {
      if (++calls === 3) throw new Error('model fell over');
      return { ...s, nextState: 'page: search', valid: true };
    });
    // Act
    const report = await evaluateConsistency({ agreement: shopStateAgreement, model, transitions: cases, examples: 2 });
    // Assess
    expect(realInvalid).toBeGreaterThan(0);
    expect(report.failures).toEqual({ count: 1, messages: [expect.stringMatching(/model fell over/)] });
    expect(report.invalidActions).toMatchObject({ real: realInvalid, predicted: 0, recall: 0 });
    expect(report.invalidActionAgreement).toBeCloseTo((cases.length - realInvalid - 1) / cases.length, 6);
    expect(report.nextStateAgreement).toBeLessThan(0.5);
    expect(report.disagreements).toHaveLength(2);
    expect(report.disagreements[0]).toMatchObject({ predicted: 'page: search', differences: [expect.stringMatching(/^page: search vs /)] });
  });

  it('measures agreement apart on (state, action) pairs the buffer does not hold, and by transition kind', async () => {
    // Prepare: the model is right only on pairs it "remembers" (the first half of the episodes)
    const records = await shopRecords({ expert: 10, random: 10 }, 9_000, 5);
    const remembered = new Set(records.slice(0, 10).flatMap((r) => r.steps.map((s) => `${s.state}|${s.action}`)));
    const seen = (state: string, action: string) => remembered.has(`${state}|${action}`);
    const model = replayModel(records, (s, input) => (seen(input.state, input.action) ? s : { ...s, nextState: 'page: search', reward: s.reward >= 0.5 ? s.reward - 0.5 : s.reward + 0.5 }));
    // Act
    const report = await evaluateConsistency({ agreement: shopStateAgreement, model, trajectories: records, seen });
    // Assess
    expect(report.unseen!.transitions).toBeGreaterThan(0);
    expect(report.unseen!.nextStateAgreement).toBeLessThan(report.nextStateAgreement);
    expect(report.unseen!.rewardAgreement).toBe(0);
    expect(report.rewardAgreement).toBeGreaterThan(0);
    const kinds = Object.values(report.byKind);
    expect(kinds.reduce((n, k) => n + k.terminalTransitions, 0)).toBe(report.terminalTransitions);
    expect(kinds.every((k) => k.invalidAgreement === 1)).toBe(true);
    expect((await evaluateConsistency({ agreement: shopStateAgreement, model, trajectories: records })).unseen).toBeUndefined();
  });

  it('gives each case the history of its own episode', () => {
    const record = { id: 'r', env: 'shop', task: { id: 't', instruction: '' }, policy: 'random', seed: 1, finalReward: 0, success: false,
      steps: [{ state: 'a', action: 'x', nextState: 'b', reward: 0, done: false, valid: true }, { state: 'b', action: 'y', nextState: 'c', reward: 0, done: true, valid: true }] } as const;
    const cases = consistencyCases([record as unknown as TrajectoryRecord]);
    expect(cases.map((c) => c.history)).toEqual([[], [{ state: 'a', action: 'x' }]]);
  });
});
