/**
 * Consistency of the built-in experience model on held-out `shop` transitions (issue 3's targets: next-state
 * agreement ≥ 0.80, terminal reward agreement ≥ 0.90). The model learns from 2,000 offline trajectories on tasks
 * 0–1,999 (1,000 expert, 500 noisy, 500 random) and is evaluated on 500 trajectories of tasks from 100,000 on,
 * which it never saw. A nearest-neighbour-only model runs as an ablation.
 *
 *   node_modules/.bin/node bench/dreamgym/consistency.ts [--train-expert 1000] [--held-out 500]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateConsistency } from '../../core/dreamgym/consistency/index.ts';
import type { ConsistencyReport } from '../../core/dreamgym/consistency/index.ts';
import { HashedTextEmbedder } from '../../core/dreamgym/embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../../core/dreamgym/experience/builtin/index.ts';
import { ReplayBuffer, seedReplayBuffer } from '../../core/dreamgym/replay/index.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { checkRewardModel } from './reward-model-check.ts';
import { collect, shopTrajectories, writeShopDataset } from './shop-data.ts';
import { printTable, writeResult } from './table.ts';
import { shopKind } from '../../core/env/shop/shop-kind.ts';
import { shopStateAgreement } from '../../core/env/shop/state-agreement.ts';

const { values } = parseArgs({ options: {
  'train-expert': { type: 'string', default: '1000' },
  'train-noisy': { type: 'string', default: '500' },
  'train-random': { type: 'string', default: '500' },
  'held-out': { type: 'string', default: '500' },
} });
const train = { expert: Number(values['train-expert']), noisy: Number(values['train-noisy']), random: Number(values['train-random']) };
const heldOutCount = Number(values['held-out']);
const heldOutPlan = { expert: Math.round(heldOutCount * 0.4), noisy: Math.round(heldOutCount * 0.3), random: heldOutCount - Math.round(heldOutCount * 0.4) - Math.round(heldOutCount * 0.3) };

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-consistency-'));
try {
  const store = new FileStore(root);
  await writeShopDataset(store, 'shop-train', { plan: train, taskOffset: 0, seed: 1 });
  const buffer = await ReplayBuffer.open({ store, id: 'shop-train', embedder: new HashedTextEmbedder() });
  const seeded = await seedReplayBuffer(buffer, 'shop-train');
  const heldOut = await collect(shopTrajectories({ plan: heldOutPlan, taskOffset: 100_000, seed: 2 }));

  const model = new BuiltinExperienceModel({ kind: shopKind, buffer });
  await model.initialState(heldOut[0].task); // learns the buffer, so the first timed step is not the learning one
  const builtin = await evaluateConsistency({ agreement: shopStateAgreement, model, trajectories: heldOut, examples: 20 });
  const nearest = await evaluateConsistency({ agreement: shopStateAgreement, model: new BuiltinExperienceModel({ kind: shopKind, buffer, composition: 'nearest' }), trajectories: heldOut, examples: 0 });
  const rows = (r: ConsistencyReport) => [
    ['next-state agreement', r.nextStateAgreement], ['strict text agreement', r.strictTextAgreement],
    [`terminal reward agreement (±${r.rewardTolerance})`, r.rewardAgreement], ['terminal reward mean abs error', r.terminalRewardError],
    ['success agreement', r.successAgreement], ['invalid-action agreement', r.invalidActionAgreement],
    ['invalid-action recall', r.invalidActions.recall], ['done agreement', r.doneAgreement],
    ['step latency p50 ms', r.latencyMs.p50], ['step latency p99 ms', r.latencyMs.p99],
  ] as const;
  printTable(`buffer: ${seeded.appended} transitions from ${seeded.trajectories} trajectories ${JSON.stringify(train)}; held out: ${builtin.transitions} transitions (${builtin.terminalTransitions} terminal) from ${heldOut.length} trajectories ${JSON.stringify(heldOutPlan)}`, [
    ['', 'builtin | nearest-neighbour only'],
    ...rows(builtin).map(([name, value], i) => [name, `${fmt(value)} | ${fmt(rows(nearest)[i][1])}`] as const),
  ]);
  printTable('builtin next-state agreement by real transition kind', Object.entries(builtin.byKind).map(([kind, k]) => [kind, `${fmt(k.nextStateAgreement)}  (${k.transitions})`]));
  const curve: { trajectories: number; transitions: number; nextStateAgreement: number; rewardAgreement: number }[] = [];
  for (const size of [200, 500, 1000, 4000]) {
    const plan = { expert: size / 2, noisy: Math.floor(size / 4), random: size / 2 - Math.floor(size / 4) };
    await writeShopDataset(store, `shop-train-${size}`, { plan, taskOffset: 0, seed: 1 });
    const small = await ReplayBuffer.open({ store, id: `shop-train-${size}`, embedder: new HashedTextEmbedder() });
    await seedReplayBuffer(small, `shop-train-${size}`);
    const r = await evaluateConsistency({ agreement: shopStateAgreement, model: new BuiltinExperienceModel({ kind: shopKind, buffer: small }), trajectories: heldOut, examples: 0 });
    curve.push({ trajectories: size, transitions: small.size, nextStateAgreement: r.nextStateAgreement, rewardAgreement: r.rewardAgreement });
  }
  printTable('learning curve (same held-out set; half expert, a quarter noisy, a quarter random)', curve.map((c) =>
    [`${c.trajectories} trajectories (${c.transitions} transitions)`, `next state ${fmt(c.nextStateAgreement)}, terminal reward ${fmt(c.rewardAgreement)}`]));
  const rewardModel = checkRewardModel(buffer.transitions(), heldOut, builtin.rewardTolerance);
  printTable('purchase reward model on held-out purchases', Object.entries(rewardModel));
  const targets = { nextStateAgreement: { target: 0.8, met: builtin.nextStateAgreement >= 0.8 }, rewardAgreement: { target: 0.9, met: builtin.rewardAgreement >= 0.9 } };
  printTable('targets', [['next-state agreement ≥ 0.80', String(targets.nextStateAgreement.met)], ['terminal reward agreement ≥ 0.90', String(targets.rewardAgreement.met)]]);
  const file = await writeResult('dreamgym-consistency', {
    machine: { cpus: os.cpus().length, node: process.version }, train, heldOut: heldOutPlan, bufferTransitions: seeded.appended,
    targets, rewardModel, curve, builtin, nearestNeighbourOnly: { ...nearest, disagreements: undefined },
  });
  console.log(`\nwrote ${file}`);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}

function fmt(value: number): string {
  return value.toFixed(4);
}
