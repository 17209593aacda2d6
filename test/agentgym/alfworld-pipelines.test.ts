import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';
import { alfworldGame, alfworldSolution, startAlfWorldServer } from '../fixtures/alfworld/server.ts';
import type { AlfWorldFixture } from '../fixtures/alfworld/server.ts';

let fixture: AlfWorldFixture;
let vars: Record<string, string>;
let dir: string;

beforeAll(async () => {
  fixture = await startAlfWorldServer();
  dir = await tempDir();
  vars = { REVERIE_STORE: `file://${dir}/store` };
});
afterAll(async () => {
  await fixture.stop();
});

const cli = (args: string[]) => runCliJson(args, vars);

describe('an ALFWorld-protocol server', () => {
  it('is spoken to with its profile: id field, reset body, actions from the answers, the goal from the first observation', async () => {
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=alfworld`, retry: { retries: 1, baseDelayMs: 1 } });
    const session = await env.open();
    const [task] = await env.tasks({ offset: 2425, count: 1 });
    await session.reset(task);
    const actions = await session.admissibleActions();
    const solution = alfworldSolution(2425);
    let last;
    for (const action of solution) last = await session.step(action);
    expect(fixture.requests.find((r) => r.path === '/reset')?.body).toEqual({ id: 0, game: 2425, world_type: 'Text' });
    expect(session.task?.instruction).toBe(`put some ${alfworldGame(2425).object.split(' ')[0]} in ${alfworldGame(2425).target}.`);
    expect(actions).toContain(solution[0]);
    expect(last).toMatchObject({ reward: 1, done: true, valid: true });
    // A game the server does not have is the caller's fault, named with the server's own message.
    await expect(session.reset({ id: '99999', instruction: '' })).rejects.toThrow(InvalidInputError);
    await expect(session.reset({ id: '99999', instruction: '' })).rejects.toThrow(/list index out of range/);
  });

  it('runs offline, import, early experience, consistency and a synthetic run end to end', async () => {
    const spec = ['--env', fixture.url, '--profile', 'alfworld'];
    const offline = await cli(['dreamgym', 'offline', ...spec, '--random', '30', '--tasks', '30', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^alfworld-[a-z0-9]+-e0-n0-r30-s1-t0-c30$/);
    const lines = [0, 1, 2, 3, 4, 5].map((game) => JSON.stringify({
      item_id: `alfworld_${game}`,
      conversations: [{ from: 'human', value: 'Interact with a household to solve a task.', loss: null }, { from: 'gpt', value: 'OK.', loss: false },
        ...alfworldSolution(game).flatMap((a) => [{ from: 'human', value: '…', loss: null }, { from: 'gpt', value: `Thought:\nnext.\n\nAction:\n${a}`, loss: true }])],
    }));
    const file = path.join(dir, 'alfworld.jsonl');
    await fs.writeFile(file, lines.join('\n'));
    const imported = await cli(['dreamgym', 'import', ...spec, '--file', file, '--format', 'agentgym', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json).toMatchObject({ read: 6, imported: 6, diverged: [] });
    const early = await cli(['early', 'run', ...spec, '--dataset', imported.json.dataset, '--k', '2', '--json']);
    expect(early.code, early.stderr).toBe(0);
    expect(early.json.expertStates).toBe(24);
    const consistency = await cli(['dreamgym', 'consistency', ...spec, '--dataset', offline.json.id, '--held-out', '10', '--json']);
    expect(consistency.code, consistency.stderr).toBe(0);
    const run = await cli(['dreamgym', 'run', ...spec, '--mode', 's2r', '--dataset', offline.json.id, '--iterations', '2', '--groups', '2',
      '--rollouts', '2', '--real-budget', '500', '--eval-tasks', '4', '--train-tasks', '8', '--no-curriculum', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.curve).toHaveLength(3);
    expect(run.json.realInteractions).toBeGreaterThan(0);
  }, 300_000);
});
