import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { SHOP_RULES } from '../../core/env/shop/rules.ts';
import { createLlmPolicy } from '../../core/dreamgym/policy/llm-policy.ts';
import { runGroup } from '../../core/dreamgym/rollout/group.ts';
import { realSessions } from '../../core/dreamgym/rollout/real-session.ts';
import { createRollout } from '../../core/dreamgym/rollout/rollout.ts';
import { OpenAIChatModel } from '../../core/llm/openai-chat-model.ts';
import { hashSeed } from '../../core/random.ts';

// Rollout-engine throughput: `node bench/dreamgym-train/rollout-throughput.ts [--latency 50] [--concurrency 32] [--groups 96]`.
// LLM-policy rollouts of the built-in shop against the OpenAI-compatible fixture (on its own thread) with injected
// latency; every step is one chat completion, so the ceiling is C / latency steps per second.
// Writes bench/results/dreamgym-rollout-throughput.json.
const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '32' },
    groups: { type: 'string', default: '96' },
    'groups-in-flight': { type: 'string', default: '24' },
    n: { type: 'string', default: '8' },
  },
});
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const groups = Number(values.groups);
const groupsInFlight = Number(values['groups-in-flight']);
const n = Number(values.n);

const fixture = new Worker(new URL('./lib/fixture-worker.ts', import.meta.url), { workerData: { latencyMs } });
const { url } = await new Promise<{ url: string }>((resolve) => fixture.once('message', resolve));
const chat = new OpenAIChatModel({
  role: 'policy', baseUrl: url, apiKey: 'bench', model: 'bench-policy', concurrency, timeoutMs: 30_000, maxRetries: 2, repairRetries: 0,
});
const policy = createLlmPolicy(chat, { rules: SHOP_RULES });
const shop = createShopEnvironment({ seed: 1 });
const tasks = await shop.tasks({ count: groups });
const counter = { steps: 0 };
const sessions = realSessions(shop, counter);
const completions: number[] = [];
const started = performance.now();
/** When the last group starts: up to here work is always queued, after it the run drains (the tail). */
let lastStart: { seconds: number; steps: number } | undefined;
let next = 0;
const worker = async () => {
  while (next < groups) {
    const g = next++;
    if (next === groups) lastStart = { seconds: (performance.now() - started) / 1000, steps: chat.ledger.snapshot().calls };
    const group = await runGroup({
      policy, task: tasks[g], n,
      rollout: (r) => createRollout(sessions, { id: `bench/${g}/${r}`, seed: hashSeed(`bench:${g}:${r}`), rollout: r }),
    });
    for (const t of group.trajectories) completions.push(t.metrics.steps);
  }
};
const cpuBefore = process.cpuUsage();
await Promise.all(Array.from({ length: groupsInFlight }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const steps = chat.ledger.snapshot().calls;
const bare = await bareClientRate();

/** Requests per second of C loops calling the endpoint directly (no rollouts, no environment): the client's ceiling here. */
async function bareClientRate(): Promise<number> {
  const bareChat = new OpenAIChatModel({
    role: 'bare', baseUrl: url, apiKey: 'bench', model: 'bench-policy', concurrency, timeoutMs: 30_000, maxRetries: 2, repairRetries: 0,
  });
  const messages = [{ role: 'user' as const, content: 'Observation:\npage: search\n\nAvailable actions:\nsearch[red t-shirt]' }];
  const perLoop = 40;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < perLoop; i++) await bareChat.complete(messages);
  }));
  return (concurrency * perLoop) / ((performance.now() - t0) / 1000);
}

fixture.postMessage('close');
const { maxInFlight } = await new Promise<{ maxInFlight: number }>((resolve) => fixture.once('message', resolve));
await fixture.terminate();

const limit = concurrency / (latencyMs / 1000);
// Groups that all start at once never queue: there is no steady window to measure then.
const steady = groups > groupsInFlight && lastStart!.seconds > 0 ? lastStart!.steps / lastStart!.seconds : null;
const result = {
  createdAt: new Date().toISOString(),
  setup: { latencyMs, concurrency, groups, rolloutsPerGroup: n, groupsInFlight, episodesInFlight: groupsInFlight * n, env: 'shop', policy: 'llm (fixture)' },
  episodes: completions.length,
  steps,
  environmentSteps: counter.steps,
  seconds: +seconds.toFixed(3),
  stepsPerSecond: +(steps / seconds).toFixed(1),
  limitStepsPerSecond: limit,
  /** Whole run, the drain at the end included. */
  ratio: +(steps / seconds / limit).toFixed(3),
  /** While work was queued (start to the last group's start): the engine's sustained rate. */
  steadyStepsPerSecond: steady === null ? null : +steady.toFixed(1),
  steadyRatio: steady === null ? null : +(steady / limit).toFixed(3),
  steadySeconds: +lastStart!.seconds.toFixed(3),
  maxInFlightAtServer: maxInFlight,
  /** Mean time a concurrency slot was held per request (C / steady rate); the injected latency is its floor. */
  meanSlotMs: steady === null ? null : +(1000 * concurrency / steady).toFixed(1),
  loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
  processCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  /** The same client and fixture without the engine: C loops of one fixed request, on the same machine, same run. */
  bareClientStepsPerSecond: +bare.toFixed(1),
  bareClientRatio: +(bare / limit).toFixed(3),
  /** The engine's rate over the bare client's: what the rollout engine itself costs. */
  engineOverBareClient: steady === null ? null : +(steady / bare).toFixed(3),
};
console.table([{
  'latency ms': latencyMs, C: concurrency, episodes: result.episodes, steps, seconds: result.seconds,
  'steps/s': result.stepsPerSecond, 'limit C/latency': limit, ratio: result.ratio,
  'steady steps/s': result.steadyStepsPerSecond, 'steady ratio': result.steadyRatio, 'bare client ratio': result.bareClientRatio,
  'max in flight': maxInFlight,
}]);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
const file = path.join(outDir, 'dreamgym-rollout-throughput.json');
await writeFile(file, `${JSON.stringify(result, null, 1)}\n`);
console.log(`wrote ${file}`);
