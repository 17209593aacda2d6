import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { AGENTGYM_PROFILES } from '../../core/env/agentgym/profiles/index.ts';
import { SCIWORLD_TASK_TYPES } from '../../core/env/agentgym/profiles/sciworld-layout.ts';
import { sciworldProfile } from '../../core/env/agentgym/profiles/sciworld.ts';
import { listRangeTasks, sessionRangeIds, sessionRangeSize, userRange, validateSessionRange, type SessionRange } from '../../core/env/session-range.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';
import { startSciWorldServer, type SciWorldFixture } from '../fixtures/sciworld/server.ts';
import { SCIWORLD_GAMES } from '../fixtures/sciworld/world.ts';

let fixture: SciWorldFixture;
beforeAll(async () => {
  fixture = await startSciWorldServer();
});
afterAll(async () => {
  await fixture.stop();
});

/** The task types the fixture server's `/reset` names for these session ids (as AgentGym's server lays them out). */
async function taskTypesOnServer(ids: readonly number[]): Promise<Set<string>> {
  const { id } = await (await fetch(`${fixture.url}/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json() as { id: number };
  const types = new Set<string>();
  for (const dataIdx of ids) {
    const answer = await fetch(`${fixture.url}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, data_idx: dataIdx }) });
    types.add(((await answer.json()) as { task_name: string }).task_name);
  }
  return types;
}

describe('session ranges', () => {
  it('list strided and interleaved tasks in their order, one environment call per part', async () => {
    const shop = createShopEnvironment({ seed: 1 });
    const strided = await listRangeTasks(shop, { start: 7, end: 100, stride: 3 }, 4, 'evaluation');
    expect(strided.map((t) => t.id)).toEqual((await shop.tasks({ offset: 0, count: 20 })).filter((_, i) => [7, 10, 13, 16].includes(i)).map((t) => t.id));
    const range: SessionRange = { interleave: [{ start: 0, end: 3 }, { start: 10, end: 12 }, { start: 20, end: 30, stride: 5 }] };
    expect(sessionRangeIds(range)).toEqual([0, 10, 20, 1, 11, 25, 2]);
    expect(sessionRangeSize(range)).toBe(7);
    const env = createAgentGymEnvironment({ baseUrl: `${fixture.url}#profile=sciworld` });
    expect((await listRangeTasks(env, range, 5, 'offline')).map((t) => t.id)).toEqual(['0', '10', '20', '1', '11']);
  });

  it('refuse malformed ranges and counts larger than the range, naming the range', async () => {
    expect(() => validateSessionRange({ start: 10, end: 5 }, 'evaluation')).toThrow(/evaluation range .*end 5 is not above start 10/);
    expect(() => validateSessionRange({ start: 0, end: 5, stride: 0 }, 'offline')).toThrow(/offline range .*stride must be an integer ≥ 1/);
    expect(() => validateSessionRange({ start: -1, end: 5 }, 'held-out')).toThrow(InvalidInputError);
    expect(() => validateSessionRange({ interleave: [] }, 'offline')).toThrow(/interleaves no part/);
    await expect(listRangeTasks(createShopEnvironment({ seed: 1 }), { start: 0, end: 10, stride: 4 }, 4, 'evaluation'))
      .rejects.toThrow(/the evaluation range \(from task 0 \(stride 4\)\) holds 3 tasks, fewer than the 4 asked for/);
    // An environment that lists fewer tasks than its range says it holds (a plug-in's range past its end): refused,
    // naming the count (was a task list with holes, failing later as a TypeError)
    const short = { tasks: async ({ offset, count }: { offset?: number; count?: number }) => (await createShopEnvironment({ seed: 1 }).tasks({ offset, count: Math.min(count ?? 0, 2) })) };
    await expect(listRangeTasks(short, { start: 0, end: 100 }, 5, 'training', '--train-tasks'))
      .rejects.toThrow(/the environment listed 2 tasks from task 0 where the training range asks for 5; .*\(--train-tasks\)/);
    expect(() => userRange(sciworldProfile.ranges.evaluation, { stride: 2 }, 'evaluation')).toThrow(/a stride for it needs an offset too/);
    expect(userRange({ start: 5, end: 50 }, { stride: 2 }, 'training')).toEqual({ start: 5, end: 50, stride: 2 });
    // An offset inside the default range ends where it ends (was open-ended: a default count ran on into the next range)
    expect(userRange({ start: 800, end: 880 }, { offset: 850 }, 'held-out')).toEqual({ start: 850, end: 880, stride: 1 });
    expect(userRange({ start: 800, end: 880 }, { offset: 900 }, 'held-out')).toEqual({ start: 900, end: Number.MAX_SAFE_INTEGER, stride: 1 });
  });

  it('give every profile disjoint default ranges', () => {
    for (const profile of Object.values(AGENTGYM_PROFILES)) {
      const [offline, heldOut, evaluation] = [profile.ranges.offline, profile.ranges.heldOut, profile.ranges.evaluation].map((r) => new Set(sessionRangeIds(r)));
      for (const id of evaluation) expect(offline.has(id) || heldOut.has(id), `${profile.name} ${id}`).toBe(false);
      for (const id of heldOut) expect(offline.has(id), `${profile.name} ${id}`).toBe(false);
    }
  });
});

describe('SciWorld\'s default ranges', () => {
  it('draw every one of the 23 task types in the first tasks of the offline, held-out and evaluation ranges, all present on the server', async () => {
    const { offline, heldOut, evaluation } = sciworldProfile.ranges;
    // A run evaluates on 100 tasks and trains on 200 from the offline range; consistency replays 23 held-out ones.
    for (const [range, count] of [[evaluation, 100], [offline, 200], [heldOut, 23]] as const) {
      const ids = sessionRangeIds(range, count);
      expect(Math.max(...ids)).toBeLessThan(SCIWORLD_GAMES);
      expect([...await taskTypesOnServer(ids)].sort()).toEqual(SCIWORLD_TASK_TYPES.map((t) => t.name).sort());
    }
    expect(sessionRangeSize(offline)).toBeGreaterThanOrEqual(2000);
  });

  it('reach the CLI: offline data with a task offset and stride, and a bad stride refused with exit 2', async () => {
    const root = `${await tempDir()}/store`;
    const vars = { REVERIE_STORE: `file://${root}` };
    const strided = await runCliJson(['dreamgym', 'offline', '--env', fixture.url, '--profile', 'sciworld', '--random', '3', '--tasks', '3',
      '--task-offset', '25', '--task-stride', '600', '--json'], vars);
    expect(strided.code, strided.stderr).toBe(0);
    expect(strided.json.id).toMatch(/-t25x600-c3$/);
    const { records } = await readOfflineDataset(new FileStore(root), strided.json.id);
    expect(records.map((r) => r.task.id).sort()).toEqual(['1225', '25', '625']);
    const bad = await runCliJson(['dreamgym', 'offline', '--env', fixture.url, '--profile', 'sciworld', '--random', '3', '--task-stride', '0', '--json'], vars);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--task-stride/);
  }, 120_000);
});
