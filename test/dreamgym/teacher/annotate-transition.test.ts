import { afterEach, describe, expect, it } from 'vitest';
import { ExperienceStepSchema } from '../../../core/dreamgym/experience/experience-model.ts';
import { experienceSystemPrompt } from '../../../core/dreamgym/experience/llm/prompt.ts';
import { SHOP_EXPERIENCE_RULES } from '../../../core/env/shop/experience-rules.ts';
import { annotateTransition } from '../../../core/dreamgym/teacher/annotate-transition.ts';
import { ExperienceSftRecordSchema } from '../../../core/dreamgym/teacher/sft-record.ts';
import { startOpenAIServer, type OpenAIServer } from '../../fixtures/openai-server.ts';
import { bufferedTransitions, chatModel, WordOverlapRetriever } from '../llm-experience/helpers.ts';
import { explainingTeacher, shopRecords } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('annotating one offline transition with the teacher', () => {
  it('pairs the experience model prompt with the teacher reasoning and the real outcome', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: explainingTeacher });
    const [trajectory] = await shopRecords();
    const teacher = chatModel(server, { role: 'teacher' });
    const real = trajectory.steps[2];

    // Act
    const result = await annotateTransition(teacher, SHOP_EXPERIENCE_RULES, trajectory, 2);

    // Assess
    if (!result.ok) throw new Error(`unexpected skip: ${result.skipped.problem}`);
    const record = ExperienceSftRecordSchema.parse(result.record);
    expect(record).toMatchObject({ id: `${trajectory.id}#2`, trajectoryId: trajectory.id, taskId: trajectory.task.id, stepIndex: 2, env: 'shop', teacherModel: 'exp-model' });
    const [system, user, assistant] = record.messages;
    expect(system).toEqual({ role: 'system', content: experienceSystemPrompt(SHOP_EXPERIENCE_RULES) });
    expect(user.content).toContain(trajectory.task.instruction);
    expect(user.content).toContain(`Step 2\nState:\n${trajectory.steps[1].state}\nAction: ${trajectory.steps[1].action}`);
    expect(user.content).toContain(`# Current state\n${real.state}\n\n# Action\n${real.action}`);
    expect(user.content).not.toContain('# What the environment did');
    const answer = ExperienceStepSchema.parse(JSON.parse(assistant.content));
    expect(answer).toEqual({
      reasoning: `The action ${real.action} is available here, so the page changes as the rules say.`,
      nextState: real.nextState, reward: real.reward, done: real.done, valid: real.valid,
    });
    expect(Object.keys(JSON.parse(assistant.content))[0]).toBe('reasoning');
    // the teacher, unlike the SFT prompt, was shown what really happened
    const asked = server.requests[0].messages[1].content;
    expect(asked).toContain(`# What the environment did\nNext state:\n${real.nextState}`);
    expect(server.requests[0].messages[0].content).toContain(SHOP_EXPERIENCE_RULES.text);
    expect(result.usage.totalTokens).toBeGreaterThan(0);
  });

  it('shows similar transitions from other trajectories only, never the one being annotated', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: explainingTeacher });
    const records = await shopRecords();
    const retriever = new WordOverlapRetriever(bufferedTransitions(records));
    const trajectory = records[0];

    // Act
    const result = await annotateTransition(chatModel(server, { role: 'teacher' }), SHOP_EXPERIENCE_RULES, trajectory, 1, { retriever, k: 3 });

    // Assess
    if (!result.ok) throw new Error('unexpected skip');
    expect(result.record.neighbours).toHaveLength(3);
    for (const id of result.record.neighbours) expect(id.startsWith(`${trajectory.id}#`)).toBe(false);
    expect(result.record.messages[1].content.match(/Example \d+ \(similarity/g)).toHaveLength(3);
  });

  it('skips a transition whose teacher answer keeps failing the schema, naming it', async () => {
    // Prepare
    server = await startOpenAIServer({ respond: () => 'I think the page changes.' });
    const [trajectory] = await shopRecords();

    // Act
    const result = await annotateTransition(chatModel(server, { role: 'teacher', repairRetries: 1 }), SHOP_EXPERIENCE_RULES, trajectory, 0);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.skipped.id).toBe(`${trajectory.id}#0`);
    expect(result.skipped.problem).toMatch(/no JSON object/);
    expect(server.requests).toHaveLength(2);
  });
});
