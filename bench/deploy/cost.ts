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
import { DreamGymSummarySchema } from '../../core/dreamgym/train/steps/summarize.ts';
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

interface Invocation { fn: string; ms: number }
const invocations: Invocation[] = [];
for (const spec of FUNCTIONS) {
  const fn = await loadFunction(spec.name);
  const run = fn.run.bind(fn);
  Object.assign(fn, {
    run: async (event: unknown, runtime: never) => {
      const t = performance.now();
      try {
        return await run(event, runtime);
      } finally {
        invocations.push({ fn: spec.name, ms: performance.now() - t });
      }
    },
  });
}

const requests = { putList: 0, get: 0 };
function countingStore(store: Store): Store {
  const put = new Set(['put', 'putStream', 'putIfAbsent', 'list']);
  const get = new Set(['get', 'getStream', 'head']);
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        if (put.has(prop)) requests.putList++;
        else if (get.has(prop)) requests.get++;
        return value.apply(target, args);
      };
    },
  });
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-cost-'));
const store = countingStore(new FileStore(root));
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), { store, log: silentLogger });
const engine = await runtime.engine();

async function measure(name: string, extraTransitions: (output: unknown) => number, run: () => Promise<unknown>) {
  invocations.length = 0;
  requests.putList = requests.get = 0;
  const output = await run();
  const byFunction = new Map<string, { calls: number; ms: number; memoryMb: number }>();
  for (const { fn, ms } of invocations) {
    const memoryMb = FUNCTIONS.find((f) => f.name === fn)!.memoryMb ?? 1024;
    const entry = byFunction.get(fn) ?? { calls: 0, ms: 0, memoryMb };
    entry.calls++;
    entry.ms += Math.ceil(ms);
    byFunction.set(fn, entry);
  }
  const gbSeconds = [...byFunction.values()].reduce((sum, f) => sum + (f.ms / 1000) * (f.memoryMb / 1024), 0);
  const transitions = invocations.length + extraTransitions(output);
  const cost = {
    lambdaDuration: gbSeconds * PRICES.lambdaGbSecond,
    lambdaRequests: invocations.length * PRICES.lambdaRequest,
    stateTransitions: transitions * PRICES.stateTransition,
    s3Requests: requests.putList * PRICES.s3PutListRequest + requests.get * PRICES.s3GetRequest,
  };
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  return { name, output, invocations: invocations.length, gbSeconds, transitions, s3: { ...requests }, cost, total, byFunction: Object.fromEntries(byFunction) };
}

async function runWorkflow(workflow: string, input: unknown): Promise<unknown> {
  const done = await engine.wait((await engine.start(workflow, input)).id);
  if (done.status !== 'SUCCEEDED') throw new Error(`${workflow} ${done.status}: ${done.error?.error} ${done.error?.cause}`);
  return done.output;
}

// DreamGym: synthetic training with the built-in experience model over an offline dataset, real held-out evaluation.
const iterations = Number(values.iterations), groups = Number(values.groups), rollouts = Number(values.rollouts);
const dataset = await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: 100, random: 100, seed: 1, taskCount: 100 }));
const dreamgym = await measure('dreamgym-train', () => 3 + 5 * iterations, () => runWorkflow('dreamgym-train', {
  mode: 'synthetic', runId: 'cost', iterations, groupsPerIteration: groups, rolloutsPerGroup: rollouts, maxConcurrency: 1,
  tasks: { trainCount: groups, evalCount: Number(values.eval) }, evaluation: { chunkSize: 25, concurrency: 1 },
  experienceModel: { kind: 'builtin', options: { buffer: 'cost', offlineDataset: dataset.id } },
}));
const summary = DreamGymSummarySchema.parse(dreamgym.output);
const trainingRollouts = summary.syntheticRollouts;
console.error(`dreamgym-train: ${trainingRollouts} rollouts, ${dreamgym.invocations} invocations`);

// Backfill: re-embed a Fashion-MNIST gallery (ingest is a CLI job, not billed here).
const images = Number(values.images);
const ingest = await ingestGallery(store, { dataset: 'fashion-mnist', galleryId: 'cost', maxItems: images, maxQueries: 10, orderSeed: 1 });
const backfill = await measure('backfill', () => 1, () => runWorkflow('backfill', { gallery: 'cost', maxConcurrency: 1 }));
// Choice + Map per wave (the waves are the NextWave calls less the last, which ends the loop).
const waves = (backfill.byFunction['backfill-next-wave']?.calls ?? 1) - 1;
backfill.transitions += 2 * waves + 1;
backfill.cost.stateTransitions = backfill.transitions * PRICES.stateTransition;
backfill.total = Object.values(backfill.cost).reduce((a, b) => a + b, 0);
console.error(`backfill: ${ingest.items} images in ${ingest.shards} shards, ${backfill.invocations} invocations`);

const scaled = (m: typeof dreamgym, units: number, per: number) => ({
  per, units, usd: (m.total * per) / units,
  parts: Object.fromEntries(Object.entries(m.cost).map(([k, v]) => [k, (v * per) / units])),
});
const perRollouts = scaled(dreamgym, trainingRollouts, 1000);
const perImages = scaled(backfill, ingest.items, 1_000_000);
const usd = (x: number) => `$${x < 0.01 ? x.toFixed(5) : x.toFixed(3)}`;
console.log(`cost estimate (${PRICES.region} list prices as of ${PRICES.asOf}; local durations × configured memory)`);
console.table([
  { workload: `DreamGym, per 1,000 training rollouts (+ ${Number(values.eval)}-task evaluations at ${iterations + 1} points)`, total: usd(perRollouts.usd), ...Object.fromEntries(Object.entries(perRollouts.parts).map(([k, v]) => [k, usd(v)])) },
  { workload: 'Backfill re-embedding, per 1M images', total: usd(perImages.usd), ...Object.fromEntries(Object.entries(perImages.parts).map(([k, v]) => [k, usd(v)])) },
]);
const strip = ({ output: _output, ...m }: typeof dreamgym) => m;
console.log(`wrote ${await writeResult('deploy-cost', {
  estimate: true, prices: PRICES,
  dreamgym: { ...strip(dreamgym), iterations, groups, rolloutsPerGroup: rollouts, trainingRollouts, evaluationTasks: Number(values.eval), per1000Rollouts: perRollouts },
  backfill: { ...strip(backfill), images: ingest.items, shards: ingest.shards, per1MImages: perImages },
})}`);
await fs.rm(root, { recursive: true, force: true });
