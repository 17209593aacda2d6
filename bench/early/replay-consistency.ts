/**
 * Does enriching DreamGym's replay buffer with early-experience branch transitions make the built-in experience model
 * agree more often with the real environment — and more than the same number of plain real transitions would?
 *
 * For each buffer recipe and seed, three buffers of the recipe's trajectories: alone (`experts`); plus the
 * alternatives branched (K per expert state, uniform over admissible actions) from its expert demonstrations
 * (`branching`); plus about as many transitions of plain ε-noisy/uniform-random episodes on the same tasks, with no
 * branching (`control`, size-matched). All are scored by the consistency evaluation on held-out trajectories of tasks
 * from 100,000 on (never seen), 40% expert, 30% noisy, 30% random. Seed s uses the `shop` catalog s, branching seed s,
 * control seed s and held-out seed s + 1; the differences are paired per seed, with 95% t intervals.
 *
 *   node_modules/.bin/node bench/early/replay-consistency.ts [--k 4] [--seeds 5] [--held-out 200] [--recipes experts-200]
 *   (the default runs the main job's recipe in about a minute; --recipes all adds 1,000 experts and a 2,000 mix, ~10 min)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OfflinePlan } from '../../core/dreamgym/offline/generate.ts';
import { measureBranchingAgainstControl, summarizeBranchingControl, type BranchingControlSeed } from '../../core/early/control/index.ts';
import { runEarlyExperience } from '../../core/early/run-early-experience.ts';
import type { MeanInterval } from '../../core/stats/mean-interval.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { printTable, writeResult } from '../dreamgym/table.ts';
import { shopExpertRecords, writeRecords } from './shop-experts.ts';

const { values } = parseArgs({
  options: { k: { type: 'string', default: '4' }, seeds: { type: 'string', default: '5' }, 'held-out': { type: 'string', default: '200' }, recipes: { type: 'string', default: 'experts-200' } },
});
const k = Number(values.k);
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const heldOutCount = Number(values['held-out']);
const ALL: { name: string; plan: Partial<OfflinePlan> }[] = [
  { name: 'experts-200', plan: { expert: 200 } },
  { name: 'experts-1000', plan: { expert: 1000 } },
  { name: 'mix-1000-500-500', plan: { expert: 1000, noisy: 500, random: 500 } },
];
const recipes = values.recipes === 'all' ? ALL : ALL.filter((r) => values.recipes!.split(',').includes(r.name));
if (recipes.length === 0 || !(k >= 1) || seeds.length === 0 || !(heldOutCount >= 1)) {
  console.error(`usage: --k ≥ 1 --seeds ≥ 1 --held-out ≥ 1 --recipes all|${ALL.map((r) => r.name).join(',')}`);
  process.exit(2);
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-early-consistency-'));
const points = (m: MeanInterval) => `${(m.mean * 100).toFixed(1).padStart(5)} [${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]`;
const rate = (m: MeanInterval) => `${m.mean.toFixed(4)} [${m.ci95[0].toFixed(4)}, ${m.ci95[1].toFixed(4)}]`;
try {
  const store = new FileStore(root);
  const results = [];
  for (const recipe of recipes) {
    const count = Object.values(recipe.plan).reduce((a, b) => a + (b ?? 0), 0);
    const perSeed: BranchingControlSeed[] = [];
    const started = performance.now();
    for (const seed of seeds) {
      const dataset = `${recipe.name}-s${seed}`;
      await writeRecords(store, dataset, await shopExpertRecords(count, { shopSeed: seed, seed, plan: recipe.plan }));
      const heldOut = await shopExpertRecords(heldOutCount, {
        shopSeed: seed, taskOffset: 100_000, seed: seed + 1,
        plan: { expert: Math.round(heldOutCount * 0.4), noisy: Math.round(heldOutCount * 0.3), random: heldOutCount - Math.round(heldOutCount * 0.4) - Math.round(heldOutCount * 0.3) },
      });
      perSeed.push(await measureBranchingAgainstControl({
        store, dataset, shopSeed: seed, taskCount: count, seed, heldOut,
        branch: (bufferId) => runEarlyExperience({ dataset, experts: 100_000, k, seed, shopSeed: seed, chunkSize: 64, replayBuffer: bufferId }, { store }),
      }));
      const s = perSeed.at(-1)!;
      console.log(`${recipe.name} seed ${seed}: experts ${s.experts.nextStateAgreement.toFixed(4)}, branching ${s.branching.nextStateAgreement.toFixed(4)} (+${s.added.branching}), control ${s.control.nextStateAgreement.toFixed(4)} (+${s.added.control})`);
    }
    const summary = summarizeBranchingControl(perSeed);
    const seconds = (performance.now() - started) / 1000;
    results.push({ recipe: recipe.name, plan: recipe.plan, seconds, summary, perSeed });
    printTable(`${recipe.name}: K=${k}, ${seeds.length} seeds, ${heldOutCount} held-out trajectories per seed, ${seconds.toFixed(0)} s`, [
      ['buffer (transitions added)', 'next-state agreement, mean [95% CI]'],
      [`  experts alone (${perSeed[0].experts.bufferTransitions} on seed 1)`, rate(summary.agreement.experts)],
      [`  + branches (+${summary.added.branching.toFixed(0)})`, rate(summary.agreement.branching)],
      [`  + size-matched control (+${summary.added.control.toFixed(0)})`, rate(summary.agreement.control)],
      ['paired per seed', 'Δ points, mean [95% CI]'],
      ['  branching − experts', points(summary.difference.branchingMinusExperts)],
      ['  control − experts', points(summary.difference.controlMinusExperts)],
      ['  branching − control', points(summary.difference.branchingMinusControl)],
    ]);
  }
  const file = await writeResult('early-replay-consistency', { machine: { cpus: os.cpus().length, node: process.version }, k, seeds, heldOut: heldOutCount, results });
  console.log(`\nwrote ${file}`);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
