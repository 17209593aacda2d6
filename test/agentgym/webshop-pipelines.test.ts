import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';
import { agentTrajLines } from '../fixtures/webshop/agenttraj.ts';
import { startWebShopServer } from '../fixtures/webshop/server.ts';
import type { WebShopFixture } from '../fixtures/webshop/server.ts';

let fixture: WebShopFixture;
let vars: Record<string, string>;
let dir: string;

beforeAll(async () => {
  fixture = await startWebShopServer();
  dir = await tempDir();
  vars = { REVERIE_STORE: `file://${dir}/store` };
});
afterAll(async () => {
  await fixture.stop();
});

const cli = (args: string[]) => runCliJson(args, vars);

describe('every pipeline against a WebShop-protocol server', () => {
  it('offline random episodes last more than two steps and are keyed by the server', async () => {
    const offline = await cli(['dreamgym', 'offline', '--env', fixture.url, '--random', '40', '--tasks', '40', '--seed', '1', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.json.id).toMatch(/^webshop-[a-z0-9]+-e0-n0-r40-s1-t1500-c40$/);
    expect(offline.json.transitions / offline.json.trajectories).toBeGreaterThan(2);
  }, 120_000);

  it('imports AgentTraj experts by replaying them, reports the one that diverges, and early experience branches search, results and item pages', async () => {
    // Prepare: 12 expert records and one whose product id does not exist
    const lines = agentTrajLines(fixture.world, Array.from({ length: 12 }, (_, i) => 1500 + i));
    const broken = JSON.parse(lines[0]);
    broken.item_id = 'webshop_1600';
    broken.conversations[5].value = 'Thought:\nthis one.\n\nAction:\nclick[b0nothere00]';
    const file = path.join(dir, 'experts.jsonl');
    await fs.writeFile(file, [...lines, JSON.stringify(broken)].join('\n'));
    // Act
    const imported = await cli(['dreamgym', 'import', '--env', fixture.url, '--file', file, '--format', 'agentgym', '--json']);
    // Assess
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json.read).toBe(lines.length + 1);
    expect(imported.json.imported).toBe(lines.length);
    expect(imported.json.diverged).toEqual([expect.objectContaining({ id: 'webshop_1600', step: 2 })]);
    const early = await cli(['early', 'run', '--env', fixture.url, '--dataset', imported.json.dataset, '--k', '3', '--json']);
    expect(early.code, early.stderr).toBe(0);
    const iwm = (await fs.readFile(fileURLToPath(early.json.datasets.iwm), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const states = iwm.map((r: { messages: { content: string }[] }) => r.messages[1].content);
    expect(states.some((s: string) => /Current state\nWebShop \[SEP\] Instruction/.test(s))).toBe(true);
    expect(states.some((s: string) => s.includes('Total results'))).toBe(true);
    expect(states.some((s: string) => s.includes('Buy Now'))).toBe(true);
    const searchBranches = iwm.filter((r: { messages: { content: string }[] }) => /# Action\nsearch\[/.test(r.messages[1].content));
    expect(searchBranches.length).toBeGreaterThan(lines.length);
  }, 180_000);

  it('refuses early experience on a dataset without expert trajectories with exit 2', async () => {
    const offline = await cli(['dreamgym', 'offline', '--env', fixture.url, '--random', '5', '--tasks', '5', '--dataset', 'random-only', '--json']);
    expect(offline.code, offline.stderr).toBe(0);
    const early = await cli(['early', 'run', '--env', fixture.url, '--dataset', 'random-only', '--json']);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/holds no expert trajectories/);
  }, 60_000);

  it('measures consistency, and trains the built-in policy in real, synthetic and s2r modes', async () => {
    const dataset = (await cli(['dreamgym', 'offline', '--env', fixture.url, '--random', '40', '--tasks', '40', '--seed', '1', '--json'])).json.id;
    const consistency = await cli(['dreamgym', 'consistency', '--env', fixture.url, '--held-out', '15', '--dataset', dataset, '--json']);
    expect(consistency.code, consistency.stderr).toBe(0);
    expect(consistency.json.transitions).toBeGreaterThan(30);
    expect(consistency.json.nextStateAgreement).toBeGreaterThan(0);
    for (const mode of ['real', 'synthetic', 's2r']) {
      const iterations = mode === 's2r' ? 2 : 1;
      const run = await cli(['dreamgym', 'run', '--env', fixture.url, '--mode', mode, '--iterations', String(iterations), '--groups', '2', '--rollouts', '2',
        '--eval-tasks', '4', '--train-tasks', '8', '--no-curriculum', ...(mode === 'real' ? [] : ['--dataset', dataset]), ...(mode === 's2r' ? ['--real-budget', '500'] : []), '--json']);
      expect(run.code, `${mode}: ${run.stderr}`).toBe(0);
      expect(run.json.mode).toBe(mode);
      expect(run.json.curve).toHaveLength(iterations + 1);
      if (mode === 'synthetic') expect(run.json.realInteractions).toBe(0);
      else expect(run.json.realInteractions).toBeGreaterThan(0);
    }
  }, 300_000);

  it('runs the curriculum on the server in synthetic mode: variations of its instructions judged from recorded pages only', async () => {
    // Prepare: recorded pages to learn from
    const dataset = (await cli(['dreamgym', 'offline', '--env', fixture.url, '--random', '40', '--tasks', '40', '--seed', '1', '--json'])).json.id;
    // Act: curriculum on (no --no-curriculum)
    const run = await cli(['dreamgym', 'run', '--env', fixture.url, '--mode', 'synthetic', '--iterations', '2', '--groups', '8', '--rollouts', '4',
      '--eval-tasks', '4', '--train-tasks', '16', '--dataset', dataset, '--seed', '1', '--json']);
    // Assess: the WebShop generator added variations that iteration 2 played, with no real access during training
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.realInteractions).toBe(0);
    const iteration = (i: number, file: string) => fs.readFile(path.join(dir, 'store/dreamgym/runs', run.json.runId, `iterations/00000${i}`, file), 'utf8').then(JSON.parse);
    const curriculum = await iteration(1, 'curriculum.json');
    expect(curriculum.generator).toBe('webshop-known');
    expect(curriculum.added.length).toBeGreaterThan(0);
    expect(curriculum.pool.every((t: { instruction: string }) => /price lower than/.test(t.instruction))).toBe(true);
    const tasks = await iteration(2, 'tasks.json');
    expect(tasks.tasks.some((t: { origin: string }) => t.origin === 'curriculum')).toBe(true);
    // Its variations are counted (was 0: only the shop was checked); an AgentGym server cannot be asked, so not checked
    const pool = new Set([...curriculum.pool, ...(await iteration(2, 'curriculum.json')).pool].map((t: { id: string }) => t.id));
    expect(run.json.curriculumVariations).toBe(pool.size);
    expect(run.json.curriculumInfeasible).toBeNull();
    expect(run.json.notes).toContain('curriculum variations not checked for feasibility for webshop (its environment kind has no feasibility check)');
  }, 300_000);
});
