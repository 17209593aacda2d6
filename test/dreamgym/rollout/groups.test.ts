import { describe, expect, it } from 'vitest';
import { createShopEnvironment } from '../../../core/env/shop/shop-environment.ts';
import { createBuiltinPolicy } from '../../../core/dreamgym/policy/builtin-policy.ts';
import { initialBuiltinParams } from '../../../core/dreamgym/policy/params.ts';
import { GroupFailedError } from '../../../core/dreamgym/rollout/errors.ts';
import { runGroup } from '../../../core/dreamgym/rollout/group.ts';
import { readCommittedTrajectories, readGroupSummary, writeGroup } from '../../../core/dreamgym/rollout/group-store.ts';
import { realSessions } from '../../../core/dreamgym/rollout/real-session.ts';
import { createRollout } from '../../../core/dreamgym/rollout/rollout.ts';
import type { Rollout } from '../../../core/dreamgym/rollout/rollout.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { SHOP_FEATURE_SET, SHOP_POLICY } from '../../helpers/shop-policy.ts';

const shop = createShopEnvironment({ seed: 6 });
const task = shop.task(2);
const policy = createBuiltinPolicy(initialBuiltinParams(SHOP_FEATURE_SET), SHOP_POLICY);

function rolloutFailingAt(failing: ReadonlySet<number>) {
  return (index: number): Rollout => {
    const real = createRollout(realSessions(shop), { id: `g/${index}`, seed: index, rollout: index });
    return async (p, t) => {
      if (failing.has(index)) throw new Error(`rollout ${index} lost its connection`);
      return real(p, t);
    };
  };
}

describe('trajectory groups', () => {
  it('keeps failed rollouts as data up to the limit and normalises advantages over the rest', async () => {
    // Act
    const group = await runGroup({ policy, task, n: 8, rollout: rolloutFailingAt(new Set([3])) });
    // Assess
    expect(group.trajectories.map((t) => t.metadata.rollout)).toEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(group.failures).toEqual([{ rollout: 3, error: 'Error', message: 'rollout 3 lost its connection' }]);
    const advantages = group.trajectories.map((t) => t.advantage!);
    expect(advantages.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
  });

  it('fails the whole group once more rollouts fail than it tolerates', async () => {
    const attempt = runGroup({ policy, task, n: 8, rollout: rolloutFailingAt(new Set([1, 2, 5])) });
    await expect(attempt).rejects.toBeInstanceOf(GroupFailedError);
    await expect(attempt).rejects.toThrow(/3 of 8 rollouts failed/);
  });

  it('commits a group once: a second commit under the same key changes nothing', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    const first = await runGroup({ policy, task, n: 4, rollout: rolloutFailingAt(new Set()) });
    const rerun = await runGroup({ policy, task: shop.task(9), n: 4, rollout: rolloutFailingAt(new Set()) });
    // Act
    await writeGroup(store, 'runs/r/iterations/000001/groups/000000', first);
    const again = await writeGroup(store, 'runs/r/iterations/000001/groups/000000', rerun);
    // Assess
    const stored = await readCommittedTrajectories(store, 'runs/r/iterations/000001/groups/000000');
    expect(stored.map((t) => t.id)).toEqual(['g/0', 'g/1', 'g/2', 'g/3']);
    expect(stored).toEqual(first.trajectories);
    expect(again.taskId).toBe(task.id);
  });

  it('shows nothing of a group whose commit crashed before its manifest, and completes it on a re-run', async () => {
    // Prepare: the data object is there, the manifest is not
    const store = new FileStore(await tempDir());
    const prefix = 'runs/r/iterations/000001/groups/000004';
    await store.put(`${prefix}/trajectories.jsonl`, '{"half": "written"');
    const group = await runGroup({ policy, task, n: 2, rollout: rolloutFailingAt(new Set()) });
    // Act
    const before = await readGroupSummary(store, prefix);
    await writeGroup(store, prefix, group);
    // Assess
    expect(before).toBeUndefined();
    expect(await readCommittedTrajectories(store, prefix)).toEqual(group.trajectories);
  });
});
