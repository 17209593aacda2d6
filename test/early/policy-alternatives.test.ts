import { afterEach, describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { sameAction } from '../../core/early/alternatives.ts';
import { branchTrajectory } from '../../core/early/branch-trajectory.ts';
import { EarlyExperienceInputSchema } from '../../core/early/input.ts';
import { planEarlyExperience } from '../../core/early/plan.ts';
import { parseActionLine, POLICY_SYSTEM_PROMPT } from '../../core/early/policy-prompt.ts';
import { Semaphore } from '../../core/llm/semaphore.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startOpenAIServer, type ChatRequestBody, type OpenAIServer } from '../fixtures/openai-server.ts';
import { tempDir } from '../helpers/runtime.ts';
import { fixtureModel, shopDemonstrations } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A policy that clicks the last listed action when cool, repeats the first when warm, and rambles when hot. */
function temperaturePolicy(request: ChatRequestBody): string {
  const actions = [...request.messages[1].content.matchAll(/^- (.+)$/gm)].map((m) => m[1]);
  if (request.temperature === 0.5) return `Thought: try the last one\nAction: ${actions.at(-1)}`;
  if (request.temperature === 1) return `Thought: the first\nAction: ${actions[0]}`;
  return 'I am not sure what to do here.';
}

describe('alternatives sampled from the policy LLM', () => {
  it('samples at each temperature in turn, keeps readable distinct non-expert actions, and fills the rest uniformly', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: temperaturePolicy });
    const [demo] = await shopDemonstrations(1);
    const sampling = { policy: fixtureModel(server, 'policy'), temperatures: [0.5, 1, 1.5], gate: new Semaphore(4) };
    const session = await createShopEnvironment({ seed: 0 }).open();

    // Act
    const records = await branchTrajectory(session, demo, { k: 3, seed: 0, sampling });

    // Assess
    expect(server.requests.map((r) => r.temperature)).toEqual(records.flatMap(() => [0.5, 1, 1.5]));
    expect(server.requests[0].messages[0].content).toBe(POLICY_SYSTEM_PROMPT);
    for (const record of records) {
      const keys = record.alternatives.map((a) => sameAction(a.action));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).not.toContain(sameAction(record.expert.action));
      const last = record.admissibleActions.at(-1)!;
      const fromPolicy = record.alternatives.filter((a) => a.proposer.startsWith('policy@'));
      if (sameAction(last) !== sameAction(record.expert.action)) expect(fromPolicy[0]).toMatchObject({ action: last, proposer: 'policy@0.5' });
      expect(record.alternatives.filter((a) => a.proposer === 'uniform').length).toBe(record.alternatives.length - fromPolicy.length);
    }
    expect(records.some((r) => r.alternatives.some((a) => a.proposer === 'policy@1'))).toBe(true);
  });

  it('reads the action of a ReAct answer, or of a one-line answer', () => {
    expect(parseActionLine('Thought: open it\nAction: click[P0019]')).toBe('click[P0019]');
    expect(parseActionLine('**Action:** `search[red shirt]`')).toBe('search[red shirt]');
    expect(parseActionLine('click[buy now]')).toBe('click[buy now]');
    expect(parseActionLine('Thought: hmm\nI would click something')).toBeUndefined();
  });

  it('refuses a plan that asks for policy alternatives or teacher reflections without those models', async () => {
    const store = new FileStore(await tempDir());
    const input = (extra: object) => EarlyExperienceInputSchema.parse({ experts: 2, ...extra });

    await expect(planEarlyExperience(store, input({ alternatives: 'policy' }), {})).rejects.toThrow(/alternatives "policy" needs a policy LLM: set REVERIE_POLICY_BASE_URL/);
    await expect(planEarlyExperience(store, input({ reflections: 'teacher' }), {})).rejects.toThrow(/REVERIE_TEACHER_BASE_URL/);
  });

  it('picks the LLMs automatically when they are configured, and names them in the run', async () => {
    const store = new FileStore(await tempDir());

    const plain = await planEarlyExperience(store, EarlyExperienceInputSchema.parse({ experts: 2 }), {});
    const llm = await planEarlyExperience(store, EarlyExperienceInputSchema.parse({ experts: 2 }), { policy: { model: 'p' }, teacher: { model: 't' } });

    expect(plain.job).toMatchObject({ policyModel: undefined, reflectionModel: undefined });
    expect(llm.job).toMatchObject({ policyModel: 'p', reflectionModel: 't' });
    expect(llm.job.runId).not.toBe(plain.job.runId);
  });
});
