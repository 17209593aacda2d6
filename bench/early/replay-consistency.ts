/**
 * Does enriching DreamGym's replay buffer with early-experience branch transitions make the built-in experience model
 * agree more often with the real environment? (Issue 6's target: ≥ 5 points of next-state agreement with K = 4.)
 *
 * For each buffer recipe, two buffers: `before` holds the offline trajectories only; `after` holds the same plus the
 * alternatives branched (K per expert state, uniform over admissible actions) from the recipe's expert
 * demonstrations. Both are scored by the consistency evaluation on held-out trajectories of tasks from 100,000 on
 * (never seen), 40% expert, 30% noisy, 30% random, on the `shop` catalog of seed 1 (as bench/dreamgym/consistency.ts).
 *
 *   node_modules/.bin/node bench/early/replay-consistency.ts [--k 4] [--held-out 500]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateConsistency } from '../../core/dreamgym/consistency/index.ts';
import type { ConsistencyReport } from '../../core/dreamgym/consistency/index.ts';
import { HashedTextEmbedder } from '../../core/dreamgym/embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../../core/dreamgym/experience/builtin/index.ts';
import type { OfflinePlan } from '../../core/dreamgym/offline/generate.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { ReplayBuffer, seedReplayBuffer } from '../../core/dreamgym/replay/index.ts';
import { runEarlyExperience } from '../../core/early/run-early-experience.ts';
import { FileStore } from '../../core/store/file-store.ts';
import type { Store } from '../../core/store/store.ts';
import { printTable, writeResult } from '../dreamgym/table.ts';
import { shopExpertRecords, writeRecords } from './shop-experts.ts';

const { values } = parseArgs({ options: { k: { type: 'string', default: '4' }, 'held-out': { type: 'string', default: '500' } } });
const k = Number(values.k);
const heldOutCount = Number(values['held-out']);
const SHOP_SEED = 1;
const RECIPES: { name: string; plan: Partial<OfflinePlan> }[] = [
  { name: 'experts-200', plan: { expert: 200 } },
  { name: 'experts-1000', plan: { expert: 1000 } },
  { name: 'mix-1000-500-500', plan: { expert: 1000, noisy: 500, random: 500 } },
];

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-early-consistency-'));
try {
  const store = new FileStore(root);
  const heldOutPlan = { expert: Math.round(heldOutCount * 0.4), noisy: Math.round(heldOutCount * 0.3) };
  const heldOut = await shopExpertRecords(heldOutCount, {
    shopSeed: SHOP_SEED, taskOffset: 100_000, seed: 2, plan: { ...heldOutPlan, random: heldOutCount - heldOutPlan.expert - heldOutPlan.noisy },
  });
  const results = [];
  for (const recipe of RECIPES) {
    const count = Object.values(recipe.plan).reduce((a, b) => a + (b ?? 0), 0);
    await writeRecords(store, recipe.name, await shopExpertRecords(count, { shopSeed: SHOP_SEED, plan: recipe.plan }));
    const before = await seededBuffer(store, `${recipe.name}-before`, recipe.name);
    const after = await seededBuffer(store, `${recipe.name}-after`, recipe.name);
    const started = performance.now();
    const summary = await runEarlyExperience({ dataset: recipe.name, experts: 100_000, k, shopSeed: SHOP_SEED, chunkSize: 64, replayBuffer: after.id }, { store });
    const branchSeconds = (performance.now() - started) / 1000;
    await after.refresh();
    const scores = { before: await score(before, heldOut), after: await score(after, heldOut) };
    results.push({ recipe: recipe.name, plan: recipe.plan, bufferBefore: before.size, bufferAfter: after.size, branchSeconds, summary, scores });
    printTable(`${recipe.name}: buffer ${before.size} → ${after.size} transitions (+${summary.replay?.appended} branch, K=${k}, ${summary.expertStates} expert states, ${branchSeconds.toFixed(1)} s)`, [
      ['held-out next-state agreement', 'before    after     Δ points'],
      ...Object.keys(scores.before).map((subset) => {
        const b = scores.before[subset].nextStateAgreement;
        const a = scores.after[subset].nextStateAgreement;
        return [`  ${subset} (${scores.before[subset].transitions})`, `${b.toFixed(4)}  ${a.toFixed(4)}  ${((a - b) * 100).toFixed(1).padStart(6)}`] as const;
      }),
      ['terminal reward agreement (all)', `${scores.before.all.rewardAgreement.toFixed(4)}  ${scores.after.all.rewardAgreement.toFixed(4)}`],
    ]);
  }
  const file = await writeResult('early-replay-consistency', {
    machine: { cpus: os.cpus().length, node: process.version }, k, shopSeed: SHOP_SEED, heldOut: heldOutCount,
    results: results.map((r) => ({
      ...r,
      scores: Object.fromEntries(Object.entries(r.scores).map(([when, bySubset]) => [when, Object.fromEntries(Object.entries(bySubset)
        .map(([subset, report]) => [subset, { ...report, disagreements: undefined }]))])),
    })),
  });
  console.log(`\nwrote ${file}`);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}

async function seededBuffer(store: Store, id: string, dataset: string): Promise<ReplayBuffer> {
  const buffer = await ReplayBuffer.open({ store, id, embedder: new HashedTextEmbedder() });
  await seedReplayBuffer(buffer, dataset);
  return buffer;
}

/** Next-state agreement on all held-out trajectories and on each policy's share. */
async function score(buffer: ReplayBuffer, heldOut: readonly TrajectoryRecord[]): Promise<Record<string, ConsistencyReport>> {
  const subsets: Record<string, readonly TrajectoryRecord[]> = {
    all: heldOut,
    expert: heldOut.filter((r) => r.policy === 'expert'),
    noisy: heldOut.filter((r) => r.policy === 'noisy'),
    random: heldOut.filter((r) => r.policy === 'random'),
  };
  const out: Record<string, ConsistencyReport> = {};
  for (const [name, trajectories] of Object.entries(subsets)) {
    out[name] = await evaluateConsistency({ model: new BuiltinExperienceModel({ buffer }), trajectories, examples: 0 });
  }
  return out;
}
