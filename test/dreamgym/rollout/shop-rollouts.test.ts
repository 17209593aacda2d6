import { describe, expect, it } from 'vitest';
import { INVALID_ACTION_TEXT } from '../../../core/env/environment.ts';
import type { Task } from '../../../core/env/environment.ts';
import { createShopExpert } from '../../../core/env/shop/expert.ts';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import type { Policy } from '../../../core/dreamgym/policy/policy.ts';
import { observationMessage, policySystemMessage } from '../../../core/dreamgym/policy/prompt.ts';
import { SHOP_RULES } from '../../../core/env/shop/rules.ts';
import { realSessions } from '../../../core/dreamgym/rollout/real-session.ts';
import { createRollout } from '../../../core/dreamgym/rollout/rollout.ts';
import { shopStateReader } from '../../../core/env/shop/state-reader.ts';
import { syntheticSessions } from '../../../core/dreamgym/rollout/synthetic-session.ts';
import { trainableTurns } from '../../../core/dreamgym/rollout/trajectory.ts';
import { oracleExperienceModel } from './oracle-model.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const shop = createShopEnvironment({ seed: 4 });
const tasks = [0, 1, 2, 3].map((i) => shop.task(i));

/** The scripted shop expert behind the Policy interface, to reach successful episodes. */
function expertPolicy(): Policy {
  const expert = createShopExpert(shop.catalog);
  return {
    kind: 'builtin',
    version: 'expert',
    begin: () => [policySystemMessage(SHOP_RULES)],
    observe: observationMessage,
    async act({ task, state, admissibleActions, messages, rng }) {
      const history = trainableTurns({ messages }).map((t) => ({ action: t.action ?? '', observation: { text: t.nextState } }));
      const action = await expert.act({ task, observation: { text: state }, admissibleActions: admissibleActions ?? [], history, rng });
      return { reply: `Action: ${action}`, action };
    },
  };
}

describe('rollouts against the real shop', () => {
  it('records an episode as context and trainable turns whose states chain', async () => {
    // Prepare
    const counter = { steps: 0 };
    const rollout = createRollout(realSessions(shop, counter), { id: 'r/1', seed: 11, rollout: 2 });
    // Act
    const trajectory = await rollout(createBuiltinPolicy(initialBuiltinParams(SHOP_FEATURE_SET), SHOP_POLICY), tasks[0]);
    // Assess
    const turns = trainableTurns(trajectory);
    expect(trajectory.messages[0]).toMatchObject({ type: 'context', role: 'system' });
    expect(trajectory.messages.slice(1).map((m) => m.type)).toEqual(turns.flatMap(() => ['context', 'trainable']));
    expect(turns[0].state).toBe('page: search');
    for (let i = 1; i < turns.length; i++) expect(turns[i].state).toBe(turns[i - 1].nextState);
    expect(turns.every((t) => t.admissibleActions!.includes(t.action!))).toBe(true);
    expect(turns.at(-1)!.done).toBe(true);
    expect(trajectory.reward).toBe(turns.at(-1)!.reward);
    expect(counter.steps).toBe(turns.length);
    expect(trajectory.metadata).toMatchObject({ taskId: tasks[0].id, source: 'real', rollout: 2, seed: 11, policyVersion: 'builtin-v0' });
  });

  it('reaches reward 1 with the expert, marked as a success', async () => {
    const trajectory = await createRollout(realSessions(shop), { id: 'r/2', seed: 1 })(expertPolicy(), tasks[1]);
    expect(trajectory.reward).toBe(1);
    expect(trajectory.metrics).toMatchObject({ success: true, invalidActions: 0, truncated: false });
  });

  it('plays the same episode for the same seed', async () => {
    const policy = createBuiltinPolicy(initialBuiltinParams(SHOP_FEATURE_SET), SHOP_POLICY);
    const a = await createRollout(realSessions(shop), { id: 'x', seed: 5 })(policy, tasks[2]);
    const b = await createRollout(realSessions(shop), { id: 'x', seed: 5 })(policy, tasks[2]);
    expect(b).toEqual(a);
  });
});

describe('rollouts against an experience model', () => {
  it('equal the real rollouts when the experience model is exact', async () => {
    // Prepare
    const policy = createBuiltinPolicy(initialBuiltinParams(SHOP_FEATURE_SET), SHOP_POLICY);
    const model = oracleExperienceModel(shop);
    // Act
    const real = await createRollout(realSessions(shop), { id: 't', seed: 9 })(policy, tasks[3]);
    const synthetic = await createRollout(syntheticSessions(model, { reader: shopStateReader }), { id: 't', seed: 9 })(policy, tasks[3]);
    // Assess
    expect(synthetic.messages).toEqual(real.messages);
    expect(synthetic.reward).toBe(real.reward);
    expect(synthetic.metadata.source).toBe('synthetic');
    expect(model.steps).toBe(real.metrics.steps);
  });

  it('offers the real admissible actions of a predicted shop state', async () => {
    // Prepare
    const episode = shop.openEpisode();
    episode.reset(tasks[0]);
    const results = episode.step(`search[${(tasks[0].goal as { productType: string }).productType}]`);
    // Act
    const reading = shopStateReader.read(results.observation.text, tasks[0]);
    // Assess
    expect(reading).toEqual({ readable: true, admissibleActions: episode.admissibleActions(), terminal: false });
    expect(shopStateReader.read('page: done\nbought: P1: x $1.00', tasks[0])).toMatchObject({ terminal: true, admissibleActions: [] });
    expect(shopStateReader.read('a shop, somewhere', tasks[0])).toEqual({ readable: false });
  });

  it('ends the episode with reward 0 when a predicted state cannot be read', async () => {
    // Prepare
    const model = oracleExperienceModel(shop, { corruptAfter: 1 });
    const sessions = syntheticSessions(model, { reader: shopStateReader });
    // Act
    const trajectory = await createRollout(sessions, { id: 'c', seed: 3 })(expertPolicy(), tasks[1]);
    // Assess
    expect(trajectory.metrics).toMatchObject({ steps: 2, unreadableStates: 1, success: false });
    expect(trajectory.reward).toBe(0);
    expect(trainableTurns(trajectory).at(-1)).toMatchObject({ done: true, valid: true, nextState: expect.stringContaining('page: nowhere') });
  });

  it('ends the episode in the failure state when the model calls the action invalid', async () => {
    // Prepare
    const model = oracleExperienceModel(shop);
    const sessions = syntheticSessions(model, { reader: shopStateReader });
    const clumsy: Policy = { ...expertPolicy(), act: async () => ({ reply: 'Action: click[buy now]', action: 'click[buy now]' }) };
    // Act
    const trajectory = await createRollout(sessions, { id: 'i', seed: 3 })(clumsy, tasks[1]);
    // Assess
    expect(trainableTurns(trajectory)).toEqual([expect.objectContaining({ valid: false, done: true, reward: 0, nextState: INVALID_ACTION_TEXT })]);
    expect(trajectory.metrics.invalidActions).toBe(1);
  });

  it('stops at the step limit and marks the episode truncated', async () => {
    // Prepare: a policy that pages forward and back forever
    const model = oracleExperienceModel(shop);
    const sessions = syntheticSessions(model, { reader: shopStateReader, maxSteps: 5 });
    const pacing: Policy = {
      ...expertPolicy(),
      act: async ({ admissibleActions }) => {
        const action = admissibleActions!.find((a) => a.startsWith('search[')) ?? admissibleActions!.find((a) => a === 'click[back to search]')!;
        return { reply: `Action: ${action}`, action };
      },
    };
    // Act
    const trajectory = await createRollout(sessions, { id: 'p', seed: 1 })(pacing, tasks[0] as Task);
    // Assess
    expect(trajectory.metrics).toMatchObject({ steps: 5, truncated: true });
  });
});
