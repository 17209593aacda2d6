import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { InvalidInputError, UnavailableError } from '../../core/errors.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';
import { startSciWorldServer } from '../fixtures/sciworld/server.ts';
import type { SciWorldFixture } from '../fixtures/sciworld/server.ts';
import { sciworldGame, sciworldSolution, sciworldTaskDescription } from '../fixtures/sciworld/world.ts';

let fixture: SciWorldFixture;
let vars: Record<string, string>;
let root: string;

beforeAll(async () => {
  fixture = await startSciWorldServer();
  root = `${await tempDir()}/store`;
  vars = { REVERIE_STORE: `file://${root}` };
});
afterAll(async () => {
  await fixture.stop();
});

const cli = (args: string[]) => runCliJson(args, vars);

const retry = { retries: 1, baseDelayMs: 1 };

describe('a SciWorld-protocol server (agentenv-sciworld)', () => {
  it('is spoken to with its profile: id and data_idx, the task description first, actions from /action_hint, score / 100 as the reward', async () => {
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=sciworld`, retry });
    const session = await env.open();
    const [task] = await env.tasks({ offset: 2121, count: 1 });
    const first = await session.reset(task);
    const description = sciworldTaskDescription(sciworldGame(2121));
    expect(fixture.requests.find((r) => r.path === '/reset')?.body).toEqual({ id: 0, data_idx: 2121 });
    expect(first.text.split('\n')[0]).toBe(description);
    expect(first.text).toContain('This room is called the');
    expect(session.task?.instruction).toBe(description);
    const solution = sciworldSolution(2121);
    expect(await session.admissibleActions()).toContain(solution[0]);
    const results = [];
    for (const action of solution) results.push(await session.step(action));
    // ScienceWorld's score climbs 0 → 50 (focus) → 75 (picked up) → 100 (in the box); the reward is that score / 100.
    expect(results.map((r) => r.reward).filter((r, i, all) => r !== all[i - 1])).toEqual([0, 0.5, 0.75, 1]);
    expect(results.at(-1)).toMatchObject({ done: true, valid: true, info: { score: 100 } });
    // An action the hint does not suggest is still sent, and ScienceWorld's answer recorded.
    await session.reset(task);
    const odd = await session.step('dance with the agent');
    expect(odd).toMatchObject({ valid: false, done: false, observation: { text: 'No known action matches that input.' } });
    expect(fixture.requests.at(-1)).toMatchObject({ path: '/step', body: { id: 0, action: 'dance with the agent' } });
    await session.close();
  });

  it('turns the server\'s error answers into errors that name the problem', async () => {
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=sciworld`, retry });
    const session = await env.open();
    // A data_idx past ScienceWorld's variations: `{ error: "list index out of range" }` with status 200.
    const reset = session.reset({ id: '99999', instruction: '' });
    await expect(reset).rejects.toThrow(InvalidInputError);
    await expect(session.reset({ id: '99999', instruction: '' })).rejects.toThrow(/\/reset refused session 99999: list index out of range/);
    // A wrong id field fails the server's pydantic model: HTTP 422 naming the missing field.
    const wrong = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=sciworld&id-field=env_idx`, retry });
    const other = await wrong.open();
    await expect(other.reset({ id: '3', instruction: '' })).rejects.toThrow(/HTTP 422: .*"loc":\["body","id"\],"msg":"Field required"/);
    // Closing twice is an uncaught exception on the real server: a 500 (the server's fault), not the caller's.
    await session.close();
    await expect(session.close()).rejects.toThrow(UnavailableError);
  });

  it('runs offline random episodes, consistency and a real-mode run of the built-in policy through the CLI', async () => {
    const spec = ['--env', fixture.url, '--profile', 'sciworld'];
    const offline = await cli(['dreamgym', 'offline', ...spec, '--random', '12', '--tasks', '12', '--seed', '1', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^sciworld-[a-z0-9]+-e0-n0-r12-s1-ti[a-z0-9]+-c12$/);
    expect(offline.json.transitions / offline.json.trajectories).toBeGreaterThan(2);
    // Each episode knows its task before the first action, its states list the hinted actions, and every reward is
    // a ScienceWorld score / 100.
    const { records } = await readOfflineDataset(new FileStore(root), offline.json.id);
    for (const record of records) {
      const description = sciworldTaskDescription(sciworldGame(Number(record.task.id)));
      expect(record.task.instruction).toBe(description);
      expect(record.steps[0].state.startsWith(`${description}\nThis room is called the`)).toBe(true);
      expect(record.steps[0].admissibleActions?.length).toBeGreaterThan(20);
      for (const step of record.steps) expect([0, 0.5, 0.75, 1]).toContain(step.reward);
    }
    const consistency = await cli(['dreamgym', 'consistency', ...spec, '--dataset', offline.json.id, '--held-out', '4', '--json']);
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.json.transitions).toBeGreaterThan(4);
    const run = await cli(['dreamgym', 'run', ...spec, '--mode', 'real', '--iterations', '1', '--groups', '2', '--rollouts', '2',
      '--eval-tasks', '4', '--train-tasks', '4', '--no-curriculum', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.curve).toHaveLength(2);
    expect(run.json.realInteractions).toBeGreaterThan(8);
  }, 300_000);
});
