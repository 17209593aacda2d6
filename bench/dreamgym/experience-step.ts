/**
 * The built-in experience step (retrieval + synthesis) with a 100k-transition replay buffer (issue 3's target:
 * p50 ≤ 5 ms on this machine), and retrieval checked against the brute-force reference.
 *
 *   node_modules/.bin/node bench/dreamgym/experience-step.ts [--transitions 100000] [--steps 2000] [--exact-queries 100]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { consistencyCases, percentile } from '../../core/dreamgym/consistency/index.ts';
import { HashedTextEmbedder } from '../../core/dreamgym/embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../../core/dreamgym/experience/builtin/index.ts';
import { bruteForceTopK, phiText, ReplayBuffer, seedReplayBuffer } from '../../core/dreamgym/replay/index.ts';
import { TransitionIndex } from '../../core/dreamgym/replay/index/transition-index.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { collect, shopTrajectories, writeShopDataset } from './shop-data.ts';
import { printTable, writeResult } from './table.ts';
import { shopKind } from '../../core/env/shop/shop-kind.ts';

const { values } = parseArgs({ options: {
  transitions: { type: 'string', default: '100000' },
  steps: { type: 'string', default: '2000' },
  'exact-queries': { type: 'string', default: '100' },
  dimension: { type: 'string', default: '512' },
} });
const target = Number(values.transitions);
const embedder = new HashedTextEmbedder({ dimension: Number(values.dimension) });
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-step-'));
try {
  const store = new FileStore(root);
  const perKind = Math.ceil(target / 15);
  let started = performance.now();
  await writeShopDataset(store, 'shop-100k', { plan: { expert: perKind, noisy: perKind, random: perKind }, taskOffset: 0, seed: 1, maxTransitions: target });
  const generateMs = performance.now() - started;
  started = performance.now();
  const seeded = await seedReplayBuffer(await ReplayBuffer.open({ store, id: 'shop-100k', embedder }), 'shop-100k');
  const seedMs = performance.now() - started;
  started = performance.now();
  const buffer = await ReplayBuffer.open({ store, id: 'shop-100k', embedder });
  const loadMs = performance.now() - started;
  let bytes = 0;
  for await (const object of store.list('dreamgym/replay/shop-100k/')) bytes += object.size;

  const heldOut = await collect(shopTrajectories({ plan: { expert: 200, noisy: 200, random: 200 }, taskOffset: 100_000, seed: 2 }));
  const cases = consistencyCases(heldOut);
  const model = new BuiltinExperienceModel({ kind: shopKind, buffer });
  started = performance.now();
  await model.initialState(heldOut[0].task);
  const learnMs = performance.now() - started;
  const steps = Number(values.steps);
  for (const c of cases.slice(0, 100)) await model.step({ task: c.task, history: c.history, state: c.transition.state, action: c.transition.action });
  const timeIt = async (run: (i: number) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await run(i);
      ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b);
  };
  const at = (i: number) => cases[i % cases.length];
  const stepMs = await timeIt((i) => model.step({ task: at(i).task, history: at(i).history, state: at(i).transition.state, action: at(i).transition.action }));
  const retrieveMs = await timeIt((i) => buffer.retrieve(at(i).transition.state, at(i).transition.action, 5));
  const embedMs = await timeIt(async (i) => embedder.embedOne(phiText(at(i).transition.state, at(i).transition.action)));

  const vectors = buffer.vectors();
  const keys = buffer.transitions().map((t) => phiText(t.state, t.action));
  const queries = Number(values['exact-queries']);
  let checked = 0, mismatches = 0, bruteMs = 0;
  for (let i = 0; i < queries; i++) {
    const c = cases[(i * 37) % cases.length];
    const query = await buffer.embedQuery(c.transition.state, c.transition.action);
    for (const [k, distinct] of [[5, true], [10, false]] as const) {
      const got = buffer.search(query, k, { distinct }).map((r) => r.transition.id + '@' + r.similarity);
      const t0 = performance.now();
      const want = bruteForceTopK(query, vectors, k, { distinct, keys }).map((r) => buffer.transitions()[r.row].id + '@' + r.similarity);
      bruteMs += performance.now() - t0;
      checked++;
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches++;
    }
  }
  const index = new TransitionIndex(embedder.dimension);
  buffer.transitions().forEach((_, i) => index.add(keys[i], vectors[i]));
  index.prepare();
  const summary = (ms: number[]) => ({ p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99) });
  const result = {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    buffer: { transitions: buffer.size, trajectories: seeded.trajectories, distinctPairs: index.groups, scorer: index.scorerKind, dimension: embedder.dimension, storeBytes: bytes, shards: buffer.shardIds().length },
    timingsMs: { generate: generateMs, seed: seedMs, load: loadMs, learn: learnMs },
    stepMs: summary(stepMs), retrieveMs: summary(retrieveMs), embedMs: summary(embedMs),
    exactness: { comparisons: checked, mismatches, bruteForceMsPerQuery: bruteMs / checked },
    target: { stepP50Ms: 5, met: percentile(stepMs, 50) <= 5 },
  };
  printTable(`built-in experience step, ${buffer.size} transitions (${index.groups} distinct (s, a)), ${os.cpus().length} CPUs`, [
    ['step p50 / p90 / p99 ms', fmt(result.stepMs)], ['retrieve (k=5) p50 / p90 / p99 ms', fmt(result.retrieveMs)],
    ['embed φ(s, a) p50 / p90 / p99 ms', fmt(result.embedMs)], ['brute-force top-k ms per query', result.exactness.bruteForceMsPerQuery.toFixed(1)],
    ['retrieval equal to brute force', `${checked - mismatches}/${checked}`], ['seed / load / learn s', [seedMs, loadMs, learnMs].map((ms) => (ms / 1000).toFixed(2)).join(' / ')],
    ['store size MB', (bytes / 1e6).toFixed(1)], ['target p50 ≤ 5 ms met', String(result.target.met)],
  ]);
  console.log(`\nwrote ${await writeResult('dreamgym-experience-step', result)}`);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}

function fmt(s: { p50: number; p90: number; p99: number }): string {
  return [s.p50, s.p90, s.p99].map((v) => v.toFixed(3)).join(' / ');
}
