import { afterEach, describe, expect, it } from 'vitest';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { ReplayDivergenceError } from '../../core/env/errors.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { sameAction } from '../../core/early/alternatives.ts';
import { shortfall } from '../../core/early/branch-record.ts';
import type { BranchRecord } from '../../core/early/branch-record.ts';
import { branchTrajectory } from '../../core/early/branch-trajectory.ts';
import { reexecuteBranches } from '../../core/early/verify-branches.ts';
import { createRng } from '../../core/random.ts';
import { startAgentGymServer, type AgentGymFixture } from '../fixtures/agentgym-server.ts';
import { shopDemonstrations } from './helpers.ts';

let fixture: AgentGymFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function branchAll(demos: readonly TrajectoryRecord[], k: number): Promise<BranchRecord[]> {
  const session = await createShopEnvironment({ seed: 0 }).open();
  const records: BranchRecord[] = [];
  for (const demo of demos) records.push(...(await branchTrajectory(session, demo, { k, seed: 7 })));
  return records;
}

/** The same demonstrations as seen through an AgentGym server: numeric task ids, session ids in the goal. */
function asAgentGym(demo: TrajectoryRecord, url: string, index: number): TrajectoryRecord {
  return { ...demo, env: url, task: { id: String(index), instruction: demo.task.instruction, goal: { sessionId: index } } };
}

describe('branching from expert states in the real environment', () => {
  it('records one branch record per expert state, with distinct alternatives that are never the expert action', async () => {
    // Prepare
    const demos = await shopDemonstrations(30);

    // Act
    const records = await branchAll(demos, 4);

    // Assess
    expect(records).toHaveLength(demos.reduce((n, d) => n + d.steps.length, 0));
    for (const record of records) {
      const keys = record.alternatives.map((a) => sameAction(a.action));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).not.toContain(sameAction(record.expert.action));
      expect(record.alternatives.length).toBeLessThanOrEqual(4);
      expect(record.expert.proposer).toBe('expert');
    }
    expect(records.some((r) => r.alternatives.length === 4)).toBe(true);
  });

  it('uses every admissible alternative when K exceeds them, and says how many were missing', async () => {
    // Prepare
    const demos = await shopDemonstrations(10);

    // Act
    const records = await branchAll(demos, 50);

    // Assess
    for (const record of records) {
      const others = new Set(record.admissibleActions.map(sameAction));
      others.delete(sameAction(record.expert.action));
      expect(record.alternatives.map((a) => sameAction(a.action)).sort()).toEqual([...others].sort());
      expect(shortfall(record)).toBe(50 - others.size);
    }
  });

  it('records next states the real environment returns again when the action is re-executed from the restored state', async () => {
    // Prepare
    const records = await branchAll(await shopDemonstrations(40), 4);
    const sample = createRng(5).shuffle(records).slice(0, 60);

    // Act
    const result = await reexecuteBranches(await createShopEnvironment({ seed: 0 }).open(), sample);

    // Assess
    expect(result.checked).toBe(sample.reduce((n, r) => n + 1 + r.alternatives.length, 0));
    expect(result.mismatches).toEqual([]);
  });

  it('reports the re-execution mismatch of a next state that was recorded wrongly', async () => {
    // Prepare
    const [record] = await branchAll(await shopDemonstrations(1), 2);
    const tampered = { ...record, alternatives: [{ ...record.alternatives[0], nextState: 'page: search' }, ...record.alternatives.slice(1)] };

    // Act
    const result = await reexecuteBranches(await createShopEnvironment({ seed: 0 }).open(), [tampered]);

    // Assess
    expect(result.mismatches).toEqual([expect.objectContaining({ id: record.id, action: record.alternatives[0].action, recorded: 'page: search' })]);
  });

  it('throws a replay divergence naming the step when the environment no longer shows the recorded state', async () => {
    // Prepare: demonstrations recorded on another catalog than the environment's
    const [demo] = await shopDemonstrations(1, { shopSeed: 1 });
    const session = await createShopEnvironment({ seed: 0 }).open();

    // Act
    const branching = branchTrajectory(session, demo, { k: 2, seed: 0 });

    // Assess
    await expect(branching).rejects.toBeInstanceOf(ReplayDivergenceError);
    await expect(branchTrajectory(session, demo, { k: 2, seed: 0 })).rejects.toMatchObject({ step: 1 });
  });

  it('branches over the AgentGym protocol, alternatives in a second session, with the same outcomes as in process', async () => {
    // Prepare
    fixture = await startAgentGymServer({ searchBar: false });
    const demos = await shopDemonstrations(4);
    const env = createAgentGymEnvironment({ baseUrl: fixture.url, retry: { retries: 0 } });
    const [session, brancher] = [await env.open(), await env.open()];

    // Act
    const remote: BranchRecord[] = [];
    for (const [i, demo] of demos.entries()) remote.push(...(await branchTrajectory(session, asAgentGym(demo, fixture.url, i), { k: 3, seed: 7, brancher })));
    const local = await branchAll(demos.map((d) => ({ ...d, task: { ...d.task } })), 3);

    // Assess
    expect(remote.map((r) => r.alternatives.map((a) => [a.action, a.nextState]))).toEqual(local.map((r) => r.alternatives.map((a) => [a.action, a.nextState])));
    expect(await reexecuteBranches(session, remote.slice(0, 5))).toMatchObject({ mismatches: [] });
  });
});
