import { describe, expect, it } from 'vitest';
import { heldOutTrajectories } from '../../core/dreamgym/consistency/held-out.ts';
import { measureBranchingAgainstControl, sizeMatchedControl, summarizeBranchingControl, type BranchingControlSeed } from '../../core/early/control/index.ts';
import { runEarlyExperience } from '../../core/early/run-early-experience.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { registerEnvironmentPlugin } from '../../core/env/environment-plugins.ts';
import { environmentPlugin as linePlugin } from '../fixtures/line-env/index.ts';
import { tempDir } from '../helpers/runtime.ts';
import { shopDemonstrations, writeDemonstrations } from './helpers.ts';

describe('sizeMatchedControl', () => {
  it('plays plain noisy and random episodes on the experts\' tasks until it holds the target number of transitions', async () => {
    // Act
    const control = await sizeMatchedControl({ shopSeed: 3, taskCount: 5, transitions: 120, seed: 7 });
    // Assess
    const total = control.reduce((n, r) => n + r.steps.length, 0);
    expect(total).toBeGreaterThanOrEqual(120);
    expect(total - control.at(-1)!.steps.length).toBeLessThan(120);
    expect(new Set(control.map((r) => r.policy))).toEqual(new Set(['noisy', 'random']));
    expect(control.slice(0, 4).map((r) => r.policy)).toEqual(['noisy', 'random', 'noisy', 'random']);
    const experts = await shopDemonstrations(5, { shopSeed: 3 });
    expect(new Set(control.map((r) => r.task.id))).toEqual(new Set(experts.map((r) => r.task.id)));
    expect(new Set(control.map((r) => r.id)).size).toBe(control.length);
  });

  it('gives the same episodes for the same seed and others for another seed', async () => {
    const a = await sizeMatchedControl({ shopSeed: 3, taskCount: 4, transitions: 40, seed: 1 });
    const b = await sizeMatchedControl({ shopSeed: 3, taskCount: 4, transitions: 40, seed: 1 });
    const c = await sizeMatchedControl({ shopSeed: 3, taskCount: 4, transitions: 40, seed: 2 });
    expect(b).toEqual(a);
    expect(c.map((r) => r.steps.map((s) => s.action))).not.toEqual(a.map((r) => r.steps.map((s) => s.action)));
  });

  it('plays the experts\' tasks where the kind\'s offline range does not start at task 0 (was tasks 0 … n − 1)', async () => {
    registerEnvironmentPlugin({ ...linePlugin, name: 'line-shifted', ranges: { ...linePlugin.ranges, offline: { start: 500, end: 1000 } } });
    const control = await sizeMatchedControl({ env: 'line-shifted', shopSeed: 1, taskCount: 3, transitions: 30, seed: 1 });
    const env = linePlugin.open('line-shifted');
    const experts = await env.tasks({ offset: 500, count: 3 });
    expect(new Set(control.map((r) => r.task.id))).toEqual(new Set(experts.map((t) => t.id)));
  });

  it('refuses a control without tasks', async () => {
    await expect(sizeMatchedControl({ shopSeed: 3, taskCount: 0, transitions: 10, seed: 1 })).rejects.toThrow(/at least one task/);
  });
});

describe('measureBranchingAgainstControl', () => {
  it('scores the experts alone, with their branches and with a size-matched control on the same held-out set', async () => {
    // Prepare
    const store = new FileStore(await tempDir());
    await writeDemonstrations(store, 'demo', await shopDemonstrations(12, { shopSeed: 2 }));
    const heldOut = await heldOutTrajectories({ env: 'shop', count: 10, range: { start: 100_000, end: 200_000 }, seed: 3, shopSeed: 2 });
    const run = () => measureBranchingAgainstControl({
      store, dataset: 'demo', shopSeed: 2, taskCount: 12, seed: 1, heldOut,
      branch: (replayBuffer) => runEarlyExperience({ dataset: 'demo', k: 3, shopSeed: 2, replayBuffer }, { store }),
    });
    // Act
    const result = await run();
    // Assess: branch and control add about as many transitions to the same expert buffer
    expect(result.added.branching).toBeGreaterThan(20);
    expect(result.branching.bufferTransitions).toBe(result.experts.bufferTransitions + result.added.branching);
    expect(result.control.bufferTransitions).toBe(result.experts.bufferTransitions + result.added.control);
    expect(result.added.control).toBeGreaterThanOrEqual(result.added.branching);
    expect(result.added.control - result.added.branching).toBeLessThan(30);
    // every held-out transition is scored once per buffer, split by the policy that played it
    expect(result.heldOutTransitions).toBe(heldOut.reduce((n, r) => n + r.steps.length, 0));
    for (const buffer of [result.experts, result.branching, result.control]) {
      const parts = Object.values(buffer.byPolicy);
      expect(Object.keys(buffer.byPolicy).sort()).toEqual(['expert', 'noisy', 'random']);
      expect(parts.reduce((n, p) => n + p.transitions, 0)).toBe(result.heldOutTransitions);
      expect(buffer.nextStateAgreement).toBeCloseTo(parts.reduce((s, p) => s + p.nextStateAgreement * p.transitions, 0) / result.heldOutTransitions, 12);
    }
    expect(result.branching.nextStateAgreement).toBeGreaterThan(result.experts.nextStateAgreement);
    // a re-run on the same store finds everything committed and measures the same
    expect(await run()).toEqual(result);
  });
});

describe('summarizeBranchingControl', () => {
  const seed = (s: number, experts: number, branching: number, control: number): BranchingControlSeed => {
    const agreement = (a: number) => ({ bufferTransitions: 100, nextStateAgreement: a, byPolicy: {} });
    return { seed: s, heldOutTransitions: 50, added: { branching: 40 + s, control: 42 + s }, experts: agreement(experts), branching: agreement(branching), control: agreement(control) };
  };

  it('pairs the differences per seed and gives each a 95% interval', () => {
    // Act: branching − control is 0.02, 0.03, 0.04; branching − experts 0.10, 0.12, 0.14
    const summary = summarizeBranchingControl([seed(1, 0.7, 0.8, 0.78), seed(2, 0.6, 0.72, 0.69), seed(3, 0.75, 0.89, 0.85)]);
    // Assess
    expect(summary.seeds).toEqual([1, 2, 3]);
    const half = (4.303 * 0.01) / Math.sqrt(3);
    expect(summary.difference.branchingMinusControl.mean).toBeCloseTo(0.03, 12);
    expect(summary.difference.branchingMinusControl.ci95[0]).toBeCloseTo(0.03 - half, 12);
    expect(summary.difference.branchingMinusControl.ci95[1]).toBeCloseTo(0.03 + half, 12);
    expect(summary.difference.branchingMinusExperts.mean).toBeCloseTo(0.12, 12);
    expect(summary.difference.controlMinusExperts.mean).toBeCloseTo(0.09, 12);
    expect(summary.agreement.control.mean).toBeCloseTo((0.78 + 0.69 + 0.85) / 3, 12);
    expect(summary.added).toEqual({ branching: 42, control: 44 });
  });

  it('needs at least one seed', () => {
    expect(() => summarizeBranchingControl([])).toThrow(/at least one seed/);
  });
});
