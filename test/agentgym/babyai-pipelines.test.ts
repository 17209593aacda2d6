import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { babyaiActionsIn } from '../../core/env/agentgym/profiles/babyai.ts';
import { InvalidInputError, UnavailableError } from '../../core/errors.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';
import { startBabyAIServer } from '../fixtures/babyai/server.ts';
import type { BabyAIFixture } from '../fixtures/babyai/server.ts';
import { BabyAIEpisode } from '../fixtures/babyai/world.ts';

let fixture: BabyAIFixture;
let vars: Record<string, string>;
let root: string;

beforeAll(async () => {
  fixture = await startBabyAIServer();
  root = `${await tempDir()}/store`;
  vars = { REVERIE_STORE: `file://${root}` };
});
afterAll(async () => {
  await fixture.stop();
});

const cli = (args: string[]) => runCliJson(args, vars);

const retry = { retries: 1, baseDelayMs: 1 };

describe('a BabyAI-protocol server (agentenv-babyai)', () => {
  it('is spoken to with its profile: id and data_idx, the goal line, actions from the observation, done as reward 1', async () => {
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=babyai`, retry });
    const session = await env.open();
    const [task] = await env.tasks({ offset: 880, count: 1 });
    const first = await session.reset(task);
    expect(fixture.requests.find((r) => r.path === '/reset')?.body).toEqual({ id: 0, data_idx: 880 });
    expect(session.task?.instruction).toBe('go to the red ball');
    const actions = await session.admissibleActions();
    expect(actions).toEqual(babyaiActionsIn(first.text));
    expect(actions).toEqual(expect.arrayContaining(['turn left', 'turn right', 'go to red ball 1', 'check available actions']));
    // An action the list does not hold is sent all the same; the server answers why, and the step is marked invalid.
    const refused = await session.step('pick up red ball 1');
    expect(refused).toMatchObject({ valid: false, done: false, reward: 0 });
    expect(refused.observation.text).toMatch(/^The action is not recognized\. Please check valid actions\.\nAvailable actions: \[/);
    expect(fixture.requests.at(-1)).toMatchObject({ path: '/step', body: { id: 0, action: 'pick up red ball 1' } });
    // MiniGrid discounts success by its steps (score 1 − 0.9 · steps / 64); the server's done makes Reverie's reward 1.
    const reached = await session.step('go to red ball 1');
    expect(reached.observation.text).toContain('The task is completed.');
    expect(reached).toMatchObject({ done: true, valid: true, reward: 1 });
    expect(reached.info.score).toBeGreaterThan(0.5);
    expect(reached.info.score).toBeLessThan(1);
  });

  it('turns the server\'s error answers into errors that name the problem', async () => {
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=babyai`, retry });
    const session = await env.open();
    await session.reset({ id: '0', instruction: '' });
    // A closed environment is gone from the server: `{ error: "The id N is not valid." }` with status 200.
    await session.close();
    await expect(session.step('turn left')).rejects.toThrow(UnavailableError);
    await expect(session.step('turn left')).rejects.toThrow(/\/step failed the step "turn left": The id \d+ is not valid\./);
    await expect(session.reset({ id: '1', instruction: '' })).rejects.toThrow(InvalidInputError);
    await expect(session.reset({ id: '1', instruction: '' })).rejects.toThrow(/\/reset refused session 1: The id \d+ is not valid\./);
    // A reset body without data_idx fails the server's pydantic model: HTTP 422 naming the missing field.
    const wrong = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=babyai&reset-body={"seed":"{session}"}`, retry });
    const other = await wrong.open();
    await expect(other.reset({ id: '3', instruction: '' })).rejects.toThrow(/HTTP 422: .*"loc":\["body","data_idx"\],"msg":"Field required"/);
  });

  it('runs offline random episodes, consistency and a real-mode run of the built-in policy through the CLI', async () => {
    const spec = ['--env', fixture.url, '--profile', 'babyai'];
    const offline = await cli(['dreamgym', 'offline', ...spec, '--random', '40', '--tasks', '40', '--seed', '1', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^babyai-[a-z0-9]+-e0-n0-r40-s1-t0-c40$/);
    expect(offline.json.transitions / offline.json.trajectories).toBeGreaterThan(2);
    // Random episodes reach some goals; they count as successes only because done maps to reward 1.
    expect(offline.json.successRate).toBeGreaterThan(0);
    const { records } = await readOfflineDataset(new FileStore(root), offline.json.id);
    for (const record of records) {
      const goal = new BabyAIEpisode(Number(record.task.id)).goal;
      expect(record.task.instruction).toBe(goal);
      expect(record.steps[0].state.startsWith(`Your goal: ${goal}\n`)).toBe(true);
      expect(record.steps[0].admissibleActions).toEqual(babyaiActionsIn(record.steps[0].state));
      expect(record.success).toBe(record.steps.at(-1)!.done && record.steps.at(-1)!.nextState.includes('The task is completed.'));
    }
    const consistency = await cli(['dreamgym', 'consistency', ...spec, '--dataset', offline.json.id, '--held-out', '8', '--json']);
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.json.transitions).toBeGreaterThan(8);
    // The built-in model composes BabyAI's answers (was 0.00–0.04 reusing neighbours' whole next states), compared on
    // the parts an answer's text determines; refusals and listings are predicted word for word.
    expect(consistency.json.agreement).toBe('babyai-answer');
    expect(consistency.json.nextStateAgreement).toBeGreaterThan(0.8);
    expect(consistency.json.invalidAgreement).toBeGreaterThan(0.95);
    expect(consistency.json.strictTextAgreement).toBeGreaterThan(0.1);
    expect(Object.keys(consistency.json.byKind)).toEqual(expect.arrayContaining(['view→view', 'view→listing']));
    const run = await cli(['dreamgym', 'run', ...spec, '--mode', 'real', '--iterations', '2', '--groups', '2', '--rollouts', '2',
      '--eval-tasks', '8', '--train-tasks', '8', '--no-curriculum', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.curve).toHaveLength(3);
    expect(run.json.realInteractions).toBeGreaterThan(8);
  }, 300_000);

  it('takes the whole range where a default count is larger than it (80 evaluation and held-out tasks), and refuses a larger count naming its flag', async () => {
    const spec = ['--env', fixture.url, '--profile', 'babyai'];
    // Default counts: 100 evaluation tasks and 500 held-out ones, both ranges holding 80 (were refused: exit 2)
    const run = await cli(['dreamgym', 'run', ...spec, '--mode', 'real', '--iterations', '1', '--groups', '1', '--rollouts', '2',
      '--train-tasks', '4', '--no-curriculum', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.evaluationTasks + run.json.evaluationDuplicatesRemoved).toBe(80);
    expect(run.json.evaluationTasks).toBeGreaterThan(0);
    const offline = await cli(['dreamgym', 'offline', ...spec, '--random', '20', '--tasks', '20', '--seed', '2', '--json']);
    const consistency = await cli(['dreamgym', 'consistency', ...spec, '--dataset', offline.json.id, '--json']);
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.json.heldOutTrajectories).toBe(80);
    // A count the user asks for is checked against the range, before offline data is generated.
    const tooMany = await cli(['dreamgym', 'run', ...spec, '--mode', 'real', '--iterations', '1', '--groups', '1', '--rollouts', '2',
      '--train-tasks', '4', '--eval-tasks', '81', '--no-curriculum', '--json']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/the evaluation range \(from task 880\) holds 80 tasks, fewer than the 81 asked for; ask for at most 80 \(--eval-tasks, tasks.evalCount\)/);
    const before = fixture.requests.length;
    const heldOut = await cli(['dreamgym', 'consistency', ...spec, '--held-out', '81', '--seed', '9', '--json']);
    expect(heldOut.code).toBe(2);
    expect(heldOut.stderr).toMatch(/the held-out range \(from task 800\) holds 80 tasks, fewer than the 81 asked for; ask for at most 80 \(--held-out\)/);
    expect(fixture.requests.length).toBe(before);
  }, 300_000);
});
