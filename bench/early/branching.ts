/**
 * Branching throughput of early experience against the Map concurrency (1, 4, 16): expert states branched per second
 * (K alternatives each, every one executed from a restored state in the real environment).
 *
 * Two environments: the built-in `shop` in process (CPU-bound: one Node thread does all the work, so concurrency can
 * only hide the store's I/O), and the same shop served over the AgentGym protocol by the test fixture behind a proxy
 * that adds `--latency-ms` per request (an environment across a network, where concurrency overlaps the waits).
 * Each is measured twice (in-process runs five times, keeping the median): the whole `early-experience` workflow on the local engine (plan, branch Map, dataset Map,
 * commit), and the branch stage alone (the same chunks, `branchChunk` with the same concurrency).
 *
 *   node_modules/.bin/node bench/early/branching.ts [--shop-experts 256] [--agentgym-experts 32] [--latency-ms 5] [--k 4]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { loadConfig } from '../../core/config/config.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import type { EnvironmentFactory } from '../../core/env/environment.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { branchChunk } from '../../core/early/branch-chunk.ts';
import { EarlyExperienceInputSchema } from '../../core/early/input.ts';
import { planEarlyExperience, readEarlyPlan } from '../../core/early/plan.ts';
import { EarlySummarySchema } from '../../core/early/summary.ts';
import { Semaphore } from '../../core/llm/semaphore.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../core/store/store.ts';
import { LocalWorkflowEngine } from '../../workflows/local-engine.ts';
import { startAgentGymServer } from '../../test/fixtures/agentgym-server.ts';
import { printTable, writeResult } from '../dreamgym/table.ts';
import { startLatencyProxy } from './latency-proxy.ts';
import { shopExpertRecords, writeRecords } from './shop-experts.ts';

const { values } = parseArgs({ options: {
  'shop-experts': { type: 'string', default: '256' },
  'agentgym-experts': { type: 'string', default: '32' },
  'latency-ms': { type: 'string', default: '5' },
  k: { type: 'string', default: '4' },
} });
const k = Number(values.k);
const latencyMs = Number(values['latency-ms']);
const CONCURRENCY = [1, 4, 16];

interface Measurement {
  env: string;
  stage: 'workflow' | 'branch';
  concurrency: number;
  chunks: number;
  states: number;
  alternatives: number;
  seconds: number;
  statesPerSecond: number;
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-early-'));
const fixture = await startAgentGymServer();
const proxy = await startLatencyProxy(fixture.url, latencyMs);
try {
  const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${root}` }), {
    log: silentLogger, engine: async (rt) => new LocalWorkflowEngine(rt, { saveIntervalMs: 1000 }),
  });
  const shopDemos = await shopExpertRecords(Number(values['shop-experts']), { shopSeed: 0 });
  await writeRecords(runtime.store, 'bench-shop', shopDemos);
  const remoteDemos = (await shopExpertRecords(Number(values['agentgym-experts']), { shopSeed: 0 }))
    .map((demo, i): TrajectoryRecord => ({ ...demo, env: proxy.url, task: { id: String(i), instruction: demo.task.instruction, goal: { sessionId: i } } }));
  await writeRecords(runtime.store, 'bench-agentgym', remoteDemos);

  const setups = [
    // In-process runs take a second or two and this machine is shared, so they are repeated and the median kept.
    { label: 'shop (in process)', dataset: 'bench-shop', chunkSize: 8, env: undefined, repeats: 5 },
    { label: `agentgym fixture +${latencyMs} ms/request`, dataset: 'bench-agentgym', chunkSize: 4,
      env: createAgentGymEnvironment({ baseUrl: proxy.url }) as EnvironmentFactory, repeats: 1 },
  ];
  const results: Measurement[] = [];
  for (const setup of setups) {
    // One unrecorded run first, so the first measurement does not pay for JIT warm-up and module loading.
    await measureWorkflow(runtime, setup.label, setup.dataset, setup.chunkSize, 4, 'warm-up');
    for (const concurrency of CONCURRENCY) {
      const runs: Measurement[] = [];
      for (let r = 0; r < setup.repeats; r++) {
        runs.push(await measureWorkflow(runtime, setup.label, setup.dataset, setup.chunkSize, concurrency, `wf${r}`));
        runs.push(await measureBranchStage(runtime.store, setup.label, setup.dataset, setup.chunkSize, concurrency, setup.env, `branch${r}`));
      }
      for (const stage of ['workflow', 'branch'] as const) results.push(median(runs.filter((m) => m.stage === stage)));
    }
  }
  for (const stage of ['branch', 'workflow'] as const) {
    printTable(`${stage === 'branch' ? 'branch stage alone' : 'whole early-experience workflow (local engine)'}: expert states/s, K=${k}`, [
      ['environment', CONCURRENCY.map((c) => `c=${c}`.padStart(9)).join('') + '   speed-up 16 vs 1'],
      ...setups.map((setup) => {
        const rows = results.filter((r) => r.env === setup.label && r.stage === stage);
        const rate = (c: number) => rows.find((r) => r.concurrency === c)!.statesPerSecond;
        return [setup.label, CONCURRENCY.map((c) => rate(c).toFixed(1).padStart(9)).join('') + `   ×${(rate(16) / rate(1)).toFixed(2)}`] as const;
      }),
    ]);
  }
  const file = await writeResult('early-branching', {
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, k, latencyMs, results,
    proxiedRequests: proxy.requests(),
  });
  console.log(`\nwrote ${file}`);
} finally {
  await proxy.close();
  await fixture.stop();
  await fs.rm(root, { recursive: true, force: true });
}

async function measureWorkflow(
  runtime: ReturnType<typeof createLocalRuntime>, label: string, dataset: string, chunkSize: number, concurrency: number, tag = 'wf',
): Promise<Measurement> {
  const engine = await runtime.engine();
  const input = { dataset, k, chunkSize, maxConcurrency: concurrency, experts: 100_000, runId: `${dataset}-${tag}-c${concurrency}` };
  const started = performance.now();
  const done = await engine.wait((await engine.start('early-experience', input)).id);
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 'SUCCEEDED') throw new Error(`${label} c=${concurrency}: ${JSON.stringify(done.error)}`);
  const summary = EarlySummarySchema.parse(done.output);
  const chunks = (await readEarlyPlan(runtime.store, summary.runId)).chunks.length;
  return { env: label, stage: 'workflow', concurrency, chunks, states: summary.expertStates, alternatives: summary.alternatives, seconds, statesPerSecond: summary.expertStates / seconds };
}

async function measureBranchStage(
  store: Store, label: string, dataset: string, chunkSize: number, concurrency: number, env: EnvironmentFactory | undefined, tag: string,
): Promise<Measurement> {
  const input = EarlyExperienceInputSchema.parse({ dataset, k, chunkSize, experts: 100_000, runId: `${dataset}-${tag}-c${concurrency}` });
  const plan = await planEarlyExperience(store, input, {});
  const gate = new Semaphore(concurrency);
  const started = performance.now();
  const results = await Promise.all(plan.chunks.map((chunk) => gate.run(() => branchChunk(store, plan.job, chunk, { env }))));
  const seconds = (performance.now() - started) / 1000;
  const states = results.reduce((n, r) => n + r.expertStates, 0);
  const alternatives = results.reduce((n, r) => n + r.alternatives, 0);
  return { env: label, stage: 'branch', concurrency, chunks: plan.chunks.length, states, alternatives, seconds, statesPerSecond: states / seconds };
}

/** The run with the median rate, with every run's rate alongside. */
function median(runs: readonly Measurement[]): Measurement & { runs: number[] } {
  const sorted = [...runs].sort((a, b) => a.statesPerSecond - b.statesPerSecond);
  return { ...sorted[Math.floor(sorted.length / 2)], runs: runs.map((r) => r.statesPerSecond) };
}
