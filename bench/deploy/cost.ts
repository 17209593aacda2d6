/**
 * What a deployed run would cost, estimated from the handlers' work measured here: a synthetic DreamGym run (built-in
 * experience model and policy, held-out evaluation on the real `shop`) and a Fashion-MNIST backfill run through the
 * same workflow definitions on the local engine, one Task at a time (MaxConcurrency 1, so the measured durations do
 * not overlap). Every Task invocation's wall time is recorded and billed at the memory its function gets in
 * functions/catalog.ts (what infra/functions.ts deploys); store calls are counted as S3 requests; state transitions
 * are the states entered (Task invocations, including Distributed Map children, plus the Pass/Choice/Map states of
 * the run's shape, counted from the definition). Then scaled linearly to 1,000 training rollouts and to 1M images.
 *
 *   npm run bench -- deploy/cost                      # ~2 min: 2 iterations × 8 groups × 8 rollouts, 5,000 images
 *   npm run bench -- deploy/cost --groups 16 --images 5000
 *
 * It is an estimate, not a bill: Lambda's CPU share at a given memory differs from this machine's (1,769 MB is one
 * vCPU; below it proportionally less), cold starts, retries, LLM calls (none here: built-in models), ingest (a CLI
 * job, not a Lambda), data transfer, storage and the API are not included.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/config.ts';
import { ingestGallery } from '../../core/backfill/gallery/ingest.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { runKeys } from '../../core/dreamgym/train/run-keys.ts';
import { EvaluationSchema } from '../../core/dreamgym/train/steps/evaluate.ts';
import { DreamGymSummarySchema } from '../../core/dreamgym/train/steps/summarize.ts';
import { getJson } from '../../core/store/json.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../core/store/store.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { loadFunction } from '../../functions/local.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: {
  groups: { type: 'string', default: '8' }, rollouts: { type: 'string', default: '8' }, iterations: { type: 'string', default: '2' },
  eval: { type: 'string', default: '50' }, images: { type: 'string', default: '5000' },
} });

/** us-east-1 list prices (x86_64 Lambda, Standard workflows, S3 Standard), as published by AWS; not re-fetched here (no internet). */
const PRICES = {
  asOf: '2026-12-01',
  region: 'us-east-1',
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  stateTransition: 0.025 / 1000,
  s3PutListRequest: 0.005 / 1000,
  s3GetRequest: 0.0004 / 1000,
} as const;

interface Invocation { fn: string; ms: number; putList: number; get: number }
const invocations: Invocation[] = [];
let current: Invocation | undefined;
for (const spec of FUNCTIONS) {
  const fn = await loadFunction(spec.name);
  const run = fn.run.bind(fn);
  Object.assign(fn, {
    run: async (event: unknown, runtime: never) => {
      const invocation: Invocation = { fn: spec.name, ms: 0, putList: 0, get: 0 };
      current = invocation;
      const t = performance.now();
      try {
        return await run(event, runtime);
      } finally {
        invocation.ms = performance.now() - t;
        invocations.push(invocation);
        current = undefined;
      }
    },
  });
}

/** Store calls made outside any Task (the bench's own set-up): not billed. */
const outside = { putList: 0, get: 0 };
function countingStore(store: Store): Store {
  const put = new Set(['put', 'putStream', 'putIfAbsent', 'list']);
  const get = new Set(['get', 'getStream', 'head']);
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        const counts = current ?? outside;
        if (put.has(prop)) counts.putList++;
        else if (get.has(prop)) counts.get++;
        return value.apply(target, args);
      };
    },
  });
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-cost-'));
const store = countingStore(new FileStore(root));
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { store, log: silentLogger });
const engine = await runtime.engine();

/** What one category of Task invocations costs: Lambda GB-seconds and requests, one transition each, their S3 requests. */
function costOf(list: readonly Invocation[], extraTransitions = 0) {
  const gbSeconds = list.reduce((sum, i) => sum + (Math.ceil(i.ms) / 1000) * ((FUNCTIONS.find((f) => f.name === i.fn)!.memoryMb ?? 1024) / 1024), 0);
  const putList = list.reduce((sum, i) => sum + i.putList, 0), get = list.reduce((sum, i) => sum + i.get, 0);
  const transitions = list.length + extraTransitions;
  const usd = {
    lambdaDuration: gbSeconds * PRICES.lambdaGbSecond,
    lambdaRequests: list.length * PRICES.lambdaRequest,
    stateTransitions: transitions * PRICES.stateTransition,
    s3Requests: putList * PRICES.s3PutListRequest + get * PRICES.s3GetRequest,
  };
  return { invocations: list.length, gbSeconds, transitions, s3: { putList, get }, usd, total: Object.values(usd).reduce((a, b) => a + b, 0) };
}

/** Runs a workflow and splits its Task invocations into categories by function name. */
async function measure(run: () => Promise<unknown>, categories: Record<string, RegExp>) {
  invocations.length = 0;
  const output = await run();
  const byFunction: Record<string, { calls: number; ms: number; memoryMb: number }> = {};
  for (const i of invocations) {
    const entry = (byFunction[i.fn] ??= { calls: 0, ms: 0, memoryMb: FUNCTIONS.find((f) => f.name === i.fn)!.memoryMb ?? 1024 });
    entry.calls++;
    entry.ms += Math.ceil(i.ms);
  }
  const split = Object.fromEntries(Object.entries(categories).map(([name, pattern]) => [name, invocations.filter((i) => pattern.test(i.fn))]));
  const unassigned = invocations.filter((i) => !Object.values(categories).some((p) => p.test(i.fn)));
  if (unassigned.length) throw new Error(`functions in no category: ${[...new Set(unassigned.map((i) => i.fn))].join(', ')}`);
  return { output, byFunction, split };
}

type Cost = ReturnType<typeof costOf>;
const scale = (cost: Cost, factor: number) => ({ ...cost, gbSeconds: cost.gbSeconds * factor, total: cost.total * factor, usd: Object.fromEntries(Object.entries(cost.usd).map(([k, v]) => [k, v * factor])) });

async function runWorkflow(workflow: string, input: unknown): Promise<unknown> {
  const done = await engine.wait((await engine.start(workflow, input)).id);
  if (done.status !== 'SUCCEEDED') throw new Error(`${workflow} ${done.status}: ${done.error?.error} ${done.error?.cause}`);
  return done.output;
}

// DreamGym: synthetic training with the built-in experience model over an offline dataset, real held-out evaluation.
const iterations = Number(values.iterations), groups = Number(values.groups), rollouts = Number(values.rollouts), evalTasks = Number(values.eval);
const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 100, random: 100, seed: 1, taskCount: 100 }));
const dreamgym = await measure(() => runWorkflow('dreamgym-train', {
  mode: 'synthetic', runId: 'cost', iterations, groupsPerIteration: groups, rolloutsPerGroup: rollouts, maxConcurrency: 1,
  tasks: { trainCount: groups, evalCount: evalTasks }, evaluation: { chunkSize: 25, concurrency: 1 },
  experienceModel: { kind: 'builtin', options: { buffer: 'cost', offlineDataset: dataset.id } },
}), { run: /initialise|summarize/, evaluation: /evaluate/, training: /sample|rollout-group|aggregate|replay|builtin|curriculum|skip|handoff|record-reply/ });
const summary = DreamGymSummarySchema.parse(dreamgym.output);
const trainingRollouts = summary.syntheticRollouts;
const evaluations = await Promise.all(summary.curve.map(([i]) => getJson(store, runKeys('cost').evaluation(i), EvaluationSchema)));
const episodes = evaluations.reduce((sum, e) => sum + e.episodes, 0);
// Per iteration the Pass/Choice/Map states Advance, RolloutGroups, ChooseTrainer, EvaluateChunks, MoreIterations;
// once Start, the first EvaluateChunks and MoreIterations.
const dg = {
  training: costOf(dreamgym.split.training, 5 * iterations),
  evaluation: costOf(dreamgym.split.evaluation),
  run: costOf(dreamgym.split.run, 3),
};
console.error(`dreamgym-train: ${trainingRollouts} rollouts, ${episodes} evaluation episodes`);

// Backfill: re-embed a Fashion-MNIST gallery (ingest is a CLI job, not billed here).
const ingest = await ingestGallery(store, { dataset: 'fashion-mnist', galleryId: 'cost', maxItems: Number(values.images), maxQueries: 10, orderSeed: 1 });
const backfill = await measure(() => runWorkflow('backfill', { gallery: 'cost', maxConcurrency: 1 }),
  { shards: /embed-shard/, waves: /next-wave|refit-psi/, run: /backfill-plan|finalise/ });
const waves = (backfill.byFunction['backfill-next-wave']?.calls ?? 1) - 1;
const bf = {
  shards: costOf(backfill.split.shards),
  // Choice + Map per wave, the last NextWave's Choice ending the loop.
  waves: costOf(backfill.split.waves, 2 * waves + 1),
  run: costOf(backfill.split.run),
};
console.error(`backfill: ${ingest.items} images in ${ingest.shards} shards, ${waves} wave(s)`);

// At scale: per-rollout and per-episode costs grow with the work, per-run costs do not. 1M images: 1,000 shards of
// 1,000 in 10 waves (a tenth of the gallery per wave), one run.
const targetWaves = 10;
const perRollouts = {
  training: scale(dg.training, 1000 / trainingRollouts),
  evaluationPer1000Episodes: scale(dg.evaluation, 1000 / episodes),
  perRun: dg.run,
};
const perImages = {
  shards: scale(bf.shards, 1_000_000 / ingest.items),
  waves: scale(bf.waves, targetWaves / Math.max(1, waves)),
  perRun: bf.run,
};
const per1MImagesTotal = perImages.shards.total + perImages.waves.total + perImages.perRun.total;
const usd = (x: number) => `$${x < 0.01 ? x.toFixed(5) : x.toFixed(3)}`;
const line = (workload: string, c: { total: number; usd: Record<string, number> }) => ({ workload, total: usd(c.total), ...Object.fromEntries(Object.entries(c.usd).map(([k, v]) => [k, usd(v)])) });
console.log(`cost estimate (${PRICES.region} list prices as of ${PRICES.asOf}; durations measured here × configured memory)`);
console.table([
  line('DreamGym training, per 1,000 rollouts', perRollouts.training),
  line('DreamGym evaluation, per 1,000 episodes', perRollouts.evaluationPer1000Episodes),
  line('DreamGym, per run (initialise, summarize)', perRollouts.perRun),
  line('Backfill, per 1M images: re-embedding', perImages.shards),
  line(`Backfill, per 1M images: ${targetWaves} waves`, perImages.waves),
  line('Backfill, per run (plan, finalise)', perImages.perRun),
]);
console.log(`backfill of 1M images in all: ${usd(per1MImagesTotal)}`);
console.log(`wrote ${await writeResult('deploy-cost', {
  estimate: true, prices: PRICES,
  dreamgym: { iterations, groups, rolloutsPerGroup: rollouts, trainingRollouts, evaluationEpisodes: episodes, byFunction: dreamgym.byFunction, measured: dg, per1000Rollouts: perRollouts },
  backfill: { images: ingest.items, shards: ingest.shards, waves, byFunction: backfill.byFunction, measured: bf, per1MImages: { ...perImages, total: per1MImagesTotal } },
})}`);
await fs.rm(root, { recursive: true, force: true });
