import { afterEach, describe, expect, it } from 'vitest';
import { LlmExperienceModel } from '../../../core/dreamgym/experience/llm/llm-experience-model.ts';
import { LlmOutputError, LlmUnavailableError } from '../../../core/llm/errors.ts';
import { LlmMeter, withLlmMeter } from '../../../core/llm/accounting.ts';
import { Fault, startOpenAIServer, type ChatRequestBody, type OpenAIServer, type OpenAIServerOptions } from '../../fixtures/openai-server.ts';
import { chatModel } from './helpers.ts';

const RESULTS = 'page: results\nquery: red shirt\nshowing: page 1 of 1, 1 results\nP0001: acme red shirt $10.00';
const good = { reasoning: 'A search on the search page lists matching products.', nextState: RESULTS, reward: 0, done: false, valid: true };
const task = { id: 'shop-task-000001', instruction: 'i need a red shirt under 20 dollars' };
const step = { task, history: [], state: 'page: search', action: 'search[red shirt]' };

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function serve(options: OpenAIServerOptions): Promise<OpenAIServer> {
  server = await startOpenAIServer(options);
  return server;
}
const lastUser = (request: ChatRequestBody) => request.messages.at(-1)!.content;

describe('LlmExperienceModel', () => {
  it('parses a structured answer into the next state, reward, done and validity', async () => {
    // Prepare
    const llm = await serve({ respond: () => `Here you go:\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\`` });
    const model = new LlmExperienceModel({ chat: chatModel(llm), env: 'shop' });

    // Act
    const result = await model.step(step);

    // Assess
    expect(result).toEqual(good);
    expect(model.stats()).toMatchObject({ steps: 1, invalidActions: 0, invalidBySchema: 0, llmFailures: 0 });
    expect(model.stats().usage.calls).toBe(1);
    expect(model.stats().usage.totalTokens).toBeGreaterThan(0);
  });

  it('ends the episode with reward 0 when the model judges the action invalid', async () => {
    // Prepare
    const invalid = { reasoning: 'There is no buy button on the search page.', nextState: 'page: failed\nreason: invalid action', reward: 0.5, done: false, valid: false };
    const model = new LlmExperienceModel({ chat: chatModel(await serve({ respond: () => JSON.stringify(invalid) })) });

    // Act
    const result = await model.step({ ...step, action: 'click[buy now]' });

    // Assess
    expect(result).toMatchObject({ valid: false, reward: 0, done: true });
    expect(model.stats()).toMatchObject({ steps: 1, invalidActions: 1, invalidBySchema: 0 });
  });

  it('repairs a malformed answer with a follow-up that names the problem', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify(good) });
    llm.injectFaults(Fault.malformedContent);
    const chat = chatModel(llm);
    const model = new LlmExperienceModel({ chat });

    // Act
    const result = await model.step(step);

    // Assess
    expect(result).toEqual(good);
    expect(llm.requests).toHaveLength(2);
    expect(lastUser(llm.requests[1])).toMatch(/does not match the required JSON schema/);
    expect(model.stats()).toMatchObject({ steps: 1, invalidBySchema: 0 });
    expect(model.stats().usage.repairs).toBe(1);
  });

  it('asks again when the next state is not a shop state, naming what is wrong', async () => {
    // Prepare
    let calls = 0;
    const llm = await serve({ respond: () => JSON.stringify(calls++ === 0 ? { ...good, nextState: 'You see some shirts.' } : good) });
    const model = new LlmExperienceModel({ chat: chatModel(llm), env: 'shop' });

    // Act
    const result = await model.step(step);

    // Assess
    expect(result.nextState).toBe(RESULTS);
    expect(lastUser(llm.requests[1])).toMatch(/nextState: not a shop state/);
  });

  it('throws a schema failure after the repair retry instead of inventing an invalid step, and counts it', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify({ ...good, reward: 'high' }) });
    const model = new LlmExperienceModel({ chat: chatModel(llm, { repairRetries: 1 }) });
    const meter = new LlmMeter();

    // Act
    const outcomes = await withLlmMeter(meter, () => Promise.allSettled([model.step(step), model.step(step)]));

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(LlmOutputError);
      expect(String((outcome as PromiseRejectedResult).reason.message)).toMatch(/does not match the schema.*reward/);
    }
    expect(llm.requests).toHaveLength(4);
    expect(model.stats()).toMatchObject({ steps: 0, invalidBySchema: 2, invalidActions: 0, llmFailures: 0 });
    expect(meter.usage().experience).toMatchObject({ calls: 4, schemaFailures: 2, failures: 0 });
  });

  it('sends the configured temperature and max_tokens, and 0 / 1024 when none is configured', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify(good) });
    const configured = new LlmExperienceModel({ chat: chatModel(llm, { temperature: 0.7, maxTokens: 300 }), env: 'shop' });
    const unset = new LlmExperienceModel({ chat: chatModel(llm), env: 'shop' });

    // Act
    await configured.step(step);
    await unset.step(step);

    // Assess
    expect(llm.requests[0]).toMatchObject({ temperature: 0.7, max_tokens: 300 });
    expect(llm.requests[1]).toMatchObject({ temperature: 0, max_tokens: 1024 });
  });

  it('retries 500s and answers as if nothing happened', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify(good) });
    llm.injectFaults(Fault.serverError, Fault.serverError);
    const model = new LlmExperienceModel({ chat: chatModel(llm, { maxRetries: 3 }) });

    // Act
    const result = await model.step(step);

    // Assess
    expect(result).toEqual(good);
    expect(model.stats().usage.retries).toBe(2);
    expect(model.stats()).toMatchObject({ steps: 1, llmFailures: 0 });
  });

  it('throws a clear error, not an invalid step, when the endpoint stays down', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify(good) });
    llm.injectFaults(Fault.serverError, Fault.serverError, Fault.serverError);
    const model = new LlmExperienceModel({ chat: chatModel(llm, { maxRetries: 2 }) });

    // Act
    const failure = model.step(step);

    // Assess
    await expect(failure).rejects.toThrow(LlmUnavailableError);
    await expect(failure).rejects.toThrow(/^experience model at http:\/\/127\.0\.0\.1:\d+\/v1 failed after 3 attempts: HTTP 500 internal error$/);
    expect(model.stats()).toMatchObject({ steps: 0, invalidBySchema: 0, llmFailures: 1 });
  });

  it('starts a shop episode on the search page without asking the model', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify(good) });
    const model = new LlmExperienceModel({ chat: chatModel(llm), env: 'shop' });

    // Act
    const state = await model.initialState(task);

    // Assess
    expect(state).toBe('page: search');
    expect(llm.requests).toHaveLength(0);
    expect(model.stats().initialStatesAsked).toBe(0);
  });

  it('asks the model for the first state of an environment it has no fixed start for, unless told one', async () => {
    // Prepare
    const llm = await serve({ respond: () => JSON.stringify({ reasoning: 'A kitchen task starts in the kitchen.', state: 'You are in the kitchen.' }) });
    const asking = new LlmExperienceModel({ chat: chatModel(llm), env: 'http://localhost:36001' });
    const told = new LlmExperienceModel({ chat: chatModel(llm), env: 'http://localhost:36001', initialState: () => 'You are in the hall.' });

    // Act
    const asked = await asking.initialState({ id: 'alf-1', instruction: 'put a clean mug on the table' });
    const known = await told.initialState({ id: 'alf-1', instruction: 'put a clean mug on the table' });

    // Assess
    expect(asked).toBe('You are in the kitchen.');
    expect(known).toBe('You are in the hall.');
    expect(llm.requests).toHaveLength(1);
    expect(lastUser(llm.requests[0])).toContain('put a clean mug on the table');
    expect(llm.requests[0].response_format!.json_schema!.name).toBe('initial_state');
    const system = llm.requests[0].messages[0].content;
    expect(system).toMatch(/An episode is starting/);
    expect(system).not.toMatch(/"nextState"/);
    expect(JSON.stringify(llm.requests[0].response_format!.json_schema!.schema)).toContain('"state"');
    expect(llm.requests[0]).toMatchObject({ temperature: 0, max_tokens: 1024 });
    expect(asking.stats().initialStatesAsked).toBe(1);
  });
});
