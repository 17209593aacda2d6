import { afterEach, describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import type { BranchRecord } from '../../core/early/branch-record.ts';
import { branchTrajectory } from '../../core/early/branch-trajectory.ts';
import { IWM_SYSTEM_PROMPT, iwmRecords, IwmRecordSchema } from '../../core/early/iwm-records.ts';
import { parseActionLine, POLICY_SYSTEM_PROMPT } from '../../core/early/policy-prompt.ts';
import { REFLECTION_SYSTEM_PROMPT } from '../../core/early/reflection-llm.ts';
import { TEMPLATE_REFLECTION } from '../../core/early/reflection-template.ts';
import { srRecord, SrRecordSchema } from '../../core/early/sr-records.ts';
import { extractiveSummariser, teacherSummariser } from '../../core/early/summarise-state.ts';
import { Semaphore } from '../../core/llm/semaphore.ts';
import { startOpenAIServer, type OpenAIServer } from '../fixtures/openai-server.ts';
import { fixtureModel, shopDemonstrations } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function branches(count: number, k = 3): Promise<BranchRecord[]> {
  const session = await createShopEnvironment({ seed: 0 }).open();
  const records: BranchRecord[] = [];
  for (const demo of await shopDemonstrations(count)) records.push(...(await branchTrajectory(session, demo, { k, seed: 3 })));
  return records;
}

describe('implicit world modeling records', () => {
  it('pair each state and action, expert transition included, with the next state the environment showed', async () => {
    // Prepare
    const [, branch] = await branches(1);

    // Act
    const records = await iwmRecords(branch);

    // Assess
    expect(records).toHaveLength(1 + branch.alternatives.length);
    for (const record of records) IwmRecordSchema.parse(record);
    const [expert, ...alternatives] = records;
    expect(expert).toMatchObject({ id: `${branch.id}/expert`, kind: 'expert', action: branch.expert.action, proposer: 'expert', summariser: 'none' });
    expect(expert.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(expert.messages[0].content).toBe(IWM_SYSTEM_PROMPT);
    expect(expert.messages[1].content).toBe(`# Task\n${branch.instruction}\n\n# Current state\n${branch.state}\n\n# Action\n${branch.expert.action}`);
    expect(expert.messages[2].content).toBe(branch.expert.nextState);
    alternatives.forEach((record, j) => {
      expect(record).toMatchObject({ id: `${branch.id}/alt-${j}`, kind: 'alternative', action: branch.alternatives[j].action });
      expect(record.messages[2].content).toBe(branch.alternatives[j].nextState);
    });
  });

  it('summarise only targets over the limit, and name the summariser in those records', async () => {
    // Prepare
    const records = await branches(3);
    const summariser = extractiveSummariser(120);

    // Act
    const iwm = (await Promise.all(records.map((b) => iwmRecords(b, summariser)))).flat();

    // Assess
    const summarised = iwm.filter((r) => r.summariser !== 'none');
    expect(summarised.length).toBeGreaterThan(0);
    expect(iwm.length - summarised.length).toBeGreaterThan(0);
    for (const record of summarised) {
      expect(record.summariser).toBe('extract-v1@120');
      expect(record.messages[2].content.length).toBeLessThanOrEqual(120);
      expect(record.messages[2].content).toMatch(/^page: \w+\n[\s\S]*… \(\d+ more lines\)$/);
    }
    for (const record of iwm.filter((r) => r.summariser === 'none')) expect(record.messages[2].content.length).toBeLessThanOrEqual(120);
  });

  it('record the teacher as summariser when the teacher shortens a state', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => 'page: results (summary)' });
    const [, branch] = await branches(1);
    const summariser = teacherSummariser(fixtureModel(server, 'teacher'), 80, new Semaphore(2));

    // Act
    const records = await iwmRecords(branch, summariser);

    // Assess
    const long = records.filter((r) => r.summariser !== 'none');
    expect(long.length).toBeGreaterThan(0);
    for (const record of long) expect(record).toMatchObject({ summariser: 'teacher:teacher-model@80', messages: [{}, {}, { content: 'page: results (summary)' }] });
    expect(server.requests[0].messages[1].content).toContain('at most 80 characters');
  });
});

describe('self-reflection records', () => {
  it('without an LLM, hold a grounded template reflection followed by the expert action, labelled as a template', async () => {
    // Prepare
    const records = await branches(5);

    // Act
    const sr = await Promise.all(records.map((b) => srRecord(b)));

    // Assess
    for (const [i, record] of sr.entries()) {
      const branch = records[i];
      SrRecordSchema.parse(record);
      expect(record.reflection).toEqual({ author: 'template', by: TEMPLATE_REFLECTION });
      expect(record.messages[0].content).toBe(POLICY_SYSTEM_PROMPT);
      expect(record.messages[1].content).toContain(`# Current state\n${branch.state}`);
      const target = record.messages[2].content;
      expect(target.startsWith('Thought: ')).toBe(true);
      expect(parseActionLine(target)).toBe(branch.expert.action);
      for (const alt of branch.alternatives) expect(target).toContain(`- ${alt.action} `);
      expect(record.alternatives).toEqual(branch.alternatives.map((a) => a.action));
    }
  });

  it('ground the template in observed outcomes: an invalid alternative and a finished purchase are named as such', async () => {
    // Prepare
    const [branch] = (await branches(3)).filter((b) => b.expert.done);
    const failed = { action: 'click[missing]', proposer: 'uniform', nextState: 'page: failed\nreason: invalid action', reward: 0, done: true, valid: false, revisits: false };
    const withInvalid = { ...branch, alternatives: [...branch.alternatives, failed] };

    // Act
    const record = await srRecord(withInvalid);

    // Assess
    const target = record.messages[2].content;
    expect(target).toContain('- click[missing] is not possible here: the episode ended in failure with reward 0 (page: failed; reason: invalid action).');
    expect(target).toContain(`By contrast, ${branch.expert.action} finishes the task with reward ${branch.expert.reward}`);
  });

  it('with a teacher, send the paper\'s instructions with the state, the expert outcome and every alternative outcome', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => 'Thought: The first result matches every requirement, so opening it moves me forward.\nAction: click[P0019]' });
    const [, branch] = await branches(1);

    // Act
    const record = await srRecord(branch, fixtureModel(server, 'teacher', 'big-teacher'));

    // Assess
    const [system, user] = server.requests[0].messages;
    expect(system.content).toBe(REFLECTION_SYSTEM_PROMPT);
    expect(system.content).toMatch(/step-by-step reasoning about why the chosen action is the better choice/);
    expect(system.content).toMatch(/only in the observed outcomes/);
    expect(system.content).toMatch(/No meta-commentary/);
    expect(user.content).toContain(`# Task\n${branch.instruction}`);
    expect(user.content).toContain(`# Current state\n${branch.state}`);
    expect(user.content).toContain(`# Chosen action\n${branch.expert.action}\nIt led to:\n${branch.expert.nextState}`);
    for (const [j, alt] of branch.alternatives.entries()) expect(user.content).toContain(`## ${j + 1}. ${alt.action}\nIt led to:\n${alt.nextState}`);
    expect(record.reflection).toEqual({ author: 'teacher', by: 'teacher:big-teacher' });
    expect(record.messages[2].content).toBe(`Thought: The first result matches every requirement, so opening it moves me forward.\nAction: ${branch.expert.action}`);
  });
});
