import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerEnvironmentPlugin, type EnvironmentPlugin } from '../../core/env/environment-plugins.ts';
import { environmentPlugin as linePlugin } from '../fixtures/line-env/index.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { runCli, runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

/** An environment kind that lives entirely in test/fixtures/line-env/, loaded as a plug-in. */
const PLUGIN = path.resolve(import.meta.dirname, '../fixtures/line-env/index.ts');
let vars: Record<string, string>;
let storeDir: string;

beforeAll(async () => {
  storeDir = path.join(await tempDir(), 'store');
  vars = { REVERIE_STORE: `file://${storeDir}`, REVERIE_ENV_PLUGINS: PLUGIN };
});

const cli = (args: string[]) => runCliJson([...args, '--json'], vars);

/** Every trajectory record of a stored offline dataset. */
async function datasetRecords(id: string): Promise<{ policy: string; success: boolean }[]> {
  const dir = path.join(storeDir, 'dreamgym/offline', id);
  const files = (await fs.readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jsonl'));
  const lines = await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')));
  return lines.flatMap((text) => text.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)));
}

describe('an environment kind defined in one folder outside core', () => {
  it('runs offline data, consistency and dreamgym run (real, and synthetic with its curriculum) with the built-in policy and experience model', async () => {
    // Prepare: offline random data on the plug-in
    const offline = await cli(['dreamgym', 'offline', '--env', 'line', '--random', '60', '--tasks', '60', '--seed', '1']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^line-/);
    // Act + Assess: the kind's composer and agreement make the built-in experience model agree with the real walk
    const consistency = await cli(['dreamgym', 'consistency', '--env', 'line', '--held-out', '10', '--dataset', offline.json.id]);
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(Object.keys(consistency.json.byKind)).toContain('walk→end');
    expect(consistency.json.nextStateAgreement).toBeGreaterThan(0.9);
    const real = await cli(['dreamgym', 'run', '--env', 'line', '--mode', 'real', '--iterations', '3', '--groups', '4', '--rollouts', '4',
      '--eval-tasks', '20', '--train-tasks', '20', '--no-curriculum', '--seed', '2']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.json.realSuccessAfter).toBeGreaterThan(real.json.realSuccessBefore);
    const synthetic = await cli(['dreamgym', 'run', '--env', 'line', '--mode', 'synthetic', '--iterations', '3', '--groups', '4', '--rollouts', '4',
      '--eval-tasks', '20', '--train-tasks', '20', '--dataset', offline.json.id, '--seed', '2']);
    expect(synthetic.code, synthetic.stderr).toBe(0);
    expect(synthetic.json.realInteractions).toBe(0);
    expect(synthetic.json.syntheticRollouts).toBeGreaterThan(0);
    const curriculum = JSON.parse(await fs.readFile(path.join(storeDir, 'dreamgym/runs', synthetic.json.runId, 'iterations/000001/curriculum.json'), 'utf8'));
    expect(curriculum).toMatchObject({ generator: 'line-targets', added: expect.arrayContaining([expect.stringMatching(/^line-v-/)]) });
    // The variations are counted for a plug-in too (was 0: only the shop was checked), and checked by its own hook,
    // which walks each one in the real line: a target more than 8 cells from its start is out of reach.
    const pools = new Map<string, { start: number; target: number }>();
    for (const i of [1, 2, 3]) {
      const state = JSON.parse(await fs.readFile(path.join(storeDir, 'dreamgym/runs', synthetic.json.runId, `iterations/00000${i}/curriculum.json`), 'utf8'));
      for (const task of state.pool) pools.set(task.id, task.goal);
    }
    expect(synthetic.json.curriculumVariations).toBe(pools.size);
    expect(synthetic.json.curriculumInfeasible).toBe([...pools.values()].filter((g) => Math.abs(g.target - g.start) > 8).length);
    const metrics = (await fs.readFile(path.join(storeDir, 'dreamgym/runs', synthetic.json.runId, 'metrics/iterations.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.at(-1)).toMatchObject({ 'eval/curriculum_variations': pools.size, 'eval/curriculum_infeasible': synthetic.json.curriculumInfeasible });
    expect(synthetic.json.realSuccessAfter).toBeGreaterThan(synthetic.json.realSuccessBefore);
  }, 300_000);

  it('plays the kind\'s own scripted expert for offline data and for early experience\'s demonstrations', async () => {
    // Act: expert and noisy episodes (refused before: the scripted expert existed only for the built-in shop)
    const offline = await cli(['dreamgym', 'offline', '--env', 'line', '--expert', '12', '--noisy', '6', '--random', '6', '--tasks', '12', '--seed', '3']);
    const early = await cli(['early', 'run', '--env', 'line', '--k', '2', '--experts', '8']);
    // Assess: every expert walk reaches its target; early experience branched the generated demonstrations
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^line-e12-n6-r6-/);
    const records = await datasetRecords(offline.json.id);
    const experts = records.filter((r) => r.policy === 'expert');
    expect(experts).toHaveLength(12);
    expect(experts.every((r) => r.success)).toBe(true);
    expect(records.filter((r) => r.policy === 'noisy')).toHaveLength(6);
    expect(early.code, early.stderr).toBe(0);
    expect(early.json.expertStates).toBeGreaterThanOrEqual(8);
    expect(early.json.alternatives).toBeGreaterThan(0);
    const iwm = (await fs.readFile(fileURLToPath(early.json.datasets.iwm), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(iwm.every((r: { messages: { content: string }[] }) => /line: at \d+, target \d+/.test(r.messages[1].content))).toBe(true);
  }, 120_000);

  it('makes the default offline data of a kind that brings an expert from its expert, as the shop\'s is', async () => {
    // Act: consistency without --dataset generates the environment's default offline data on first use
    const consistency = await cli(['dreamgym', 'consistency', '--env', 'line', '--held-out', '5']);
    // Assess: 1,000 expert, 500 noisy and 500 random walks (was 2,000 random: the expert plan was the shop's alone)
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.json.dataset).toBe('line-e1000-n500-r500-s1-t0-c1000');
    const records = await datasetRecords(consistency.json.dataset);
    const byPolicy = Object.groupBy(records, (r) => r.policy);
    expect({ expert: byPolicy.expert?.length, noisy: byPolicy.noisy?.length, random: byPolicy.random?.length }).toEqual({ expert: 1000, noisy: 500, random: 500 });
    expect(byPolicy.expert!.every((r) => r.success)).toBe(true);
  }, 120_000);

  it('refuses a run whose evaluation tasks are all duplicates of its training tasks, naming the cause and what to change (exit 2)', async () => {
    // Training on the evaluation range itself: every evaluation task is a training task (was a DataCorruptError, exit 1)
    const result = await runCli(['dreamgym', 'run', '--env', 'line', '--mode', 'real', '--iterations', '1', '--groups', '2', '--rollouts', '2',
      '--train-tasks', '10', '--eval-tasks', '10', '--train-offset', '2000', '--no-curriculum', '--json'], vars);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/InvalidInputError: no evaluation task is left: all 10 evaluation tasks from task 2000 were removed as duplicates of goals among the 10 training tasks from task 2000/);
    expect(result.stderr).toMatch(/--eval-offset/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    // Apart, the same run goes through
    const apart = await runCli(['dreamgym', 'run', '--env', 'line', '--mode', 'real', '--iterations', '1', '--groups', '2', '--rollouts', '2',
      '--train-tasks', '10', '--eval-tasks', '10', '--train-offset', '2010', '--no-curriculum', '--json'], vars);
    expect(apart.code, apart.stderr).toBe(0);
    expect(JSON.parse(apart.stdout).evaluationTasks).toBe(10);
  }, 120_000);

  it('is refused with a clear message when no plug-in is loaded', async () => {
    const result = await runCli(['dreamgym', 'offline', '--env', 'line', '--random', '2'], { REVERIE_STORE: vars.REVERIE_STORE });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/registered plug-in/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});

describe('a malformed environment plug-in', () => {
  const plugin = (ranges: unknown, kind: unknown = linePlugin.kind) => ({ name: 'grid', kind, open: () => { throw new Error('not opened'); }, ranges }) as unknown as EnvironmentPlugin;
  const good = { start: 0, end: 10 };

  it('is refused at registration naming what is missing (was a TypeError when a range was left out)', () => {
    expect(() => registerEnvironmentPlugin(plugin({ offline: good, evaluation: good }))).toThrow(InvalidInputError);
    expect(() => registerEnvironmentPlugin(plugin({ offline: good, evaluation: good }))).toThrow(/environment plug-in "grid" ranges.heldOut is missing/);
    expect(() => registerEnvironmentPlugin(plugin({ offline: good, heldOut: 5, evaluation: good }))).toThrow(/ranges.heldOut is missing/);
    expect(() => registerEnvironmentPlugin(plugin({ offline: { interleave: 'x' }, heldOut: good, evaluation: good }))).toThrow(/offline range interleaves no part/);
    expect(() => registerEnvironmentPlugin(plugin({ offline: { interleave: [3] }, heldOut: good, evaluation: good }))).toThrow(/offline range part 3 is not/);
    expect(() => registerEnvironmentPlugin(plugin(undefined))).toThrow(/brings no ranges/);
    expect(() => registerEnvironmentPlugin(plugin({ offline: good, heldOut: good, evaluation: good }, { name: 'grid' })))
      .toThrow(/environment plug-in "grid": its kind lacks rules \(a string\), policyFeatures, syntheticStates\(\)/);
    expect(() => registerEnvironmentPlugin({ ...plugin({ offline: good, heldOut: good, evaluation: good }), open: undefined } as unknown as EnvironmentPlugin)).toThrow(/brings no open\(spec\) function/);
  });
});
