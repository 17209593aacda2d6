/**
 * LLM accounting, measured against the server's own ground truth: S scopes (standing for concurrent runs in one
 * process) share one client and call a fixture endpoint that answers a seeded share of requests with 500 or 429.
 * Each scope's meter is compared with what the server saw for that scope's requests (tagged in the prompt), and with
 * what a difference of the shared client's ledger over the scope's window would have reported. Then the cost of the
 * async-context meter: the same calls with and without a scope, interleaved, as a ratio with a 95% interval.
 *
 *   node_modules/.bin/node bench/llm/accounting.ts [--scopes 4] [--calls 200] [--fault-rate 0.1] [--repeats 10] [--seed 1]
 */
import { parseArgs } from 'node:util';
import { LlmMeter, withLlmMeter } from '../../core/llm/accounting.ts';
import { OpenAIChatModel } from '../../core/llm/openai-chat-model.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { Fault, startOpenAIServer } from '../../test/fixtures/openai-server.ts';
import { printTable, writeResult } from '../dreamgym/table.ts';

const { values } = parseArgs({ options: {
  scopes: { type: 'string', default: '4' },
  calls: { type: 'string', default: '200' },
  'fault-rate': { type: 'string', default: '0.1' },
  repeats: { type: 'string', default: '10' },
  seed: { type: 'string', default: '1' },
} });
const scopes = Number(values.scopes);
const calls = Number(values.calls);
const faultRate = Number(values['fault-rate']);
const repeats = Number(values.repeats);
const seed = Number(values.seed);

const truth = Array.from({ length: scopes }, () => ({ requests: 0, faulted: 0 }));
const server = await startOpenAIServer({
  respond: () => 'ok',
  latencyMs: 1,
  seed,
  faultRates: { [Fault.serverError]: faultRate / 2, [Fault.rateLimit]: faultRate / 2 },
  onRequest: (body, fault) => {
    const scope = /^scope (\d+)/.exec(body.messages?.at(-1)?.content ?? '');
    if (!scope) return;
    truth[Number(scope[1])].requests++;
    if (fault) truth[Number(scope[1])].faulted++;
  },
});
const client = new OpenAIChatModel({
  role: 'experience', baseUrl: server.url, apiKey: 'bench', model: 'bench', concurrency: 16, timeoutMs: 10_000, maxRetries: 8, repairRetries: 0, retryBaseDelayMs: 1,
});

// Exactness: every scope issues `calls` calls, 4 at a time, all scopes at once.
const scoped = await Promise.all(Array.from({ length: scopes }, async (_, s) => {
  const meter = new LlmMeter();
  const before = client.ledger.snapshot();
  let failed = 0;
  await withLlmMeter(meter, async () => {
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < calls) {
        const i = next++;
        await client.complete([{ role: 'user', content: `scope ${s} call ${i}` }]).catch(() => failed++);
      }
    }));
  });
  const after = client.ledger.snapshot();
  return { meter: meter.usage().experience, failed, window: { calls: after.calls + after.failedCalls - before.calls - before.failedCalls, retries: after.retries - before.retries } };
}));
const exactness = scoped.map((s, i) => ({
  scope: i,
  issued: calls,
  metered: { calls: s.meter.calls, retries: s.meter.retries, failures: s.meter.failures },
  server: { requests: truth[i].requests, faulted: truth[i].faulted },
  exact: s.meter.calls === calls && s.meter.calls + s.meter.retries === truth[i].requests && s.meter.failures === s.failed,
  ledgerWindow: s.window,
}));

// Overhead: the same burst of calls with and without a meter scope, interleaved (no faults on this server).
const quiet = await startOpenAIServer({ respond: () => 'ok' });
const plain = new OpenAIChatModel({ role: 'policy', baseUrl: quiet.url, apiKey: 'b', model: 'b', concurrency: 16, timeoutMs: 10_000, maxRetries: 0, repairRetries: 0 });
const burst = async () => {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let i = 0; i < 25; i++) await plain.complete([{ role: 'user', content: 'hi' }]);
  }));
  return performance.now() - t0;
};
await burst(); // warm-up
const ratios: number[] = [];
for (let r = 0; r < repeats; r++) {
  const without = await burst();
  const withMeter = await withLlmMeter(new LlmMeter(), burst);
  ratios.push(withMeter / without);
}
await Promise.all([server.close(), quiet.close()]);

const overhead = meanInterval(ratios);
printTable(`LLM accounting: ${scopes} concurrent scopes × ${calls} calls on one client, ${faultRate * 100}% 500/429 (seed ${seed})`, [
  ...exactness.flatMap((e): [string, string][] => [[
    `scope ${e.scope}`,
    `metered ${e.metered.calls} calls + ${e.metered.retries} retries = ${e.metered.calls + e.metered.retries} requests; server saw ${e.server.requests} ` +
      `(${e.server.faulted} faulted); ${e.exact ? 'exact' : 'MISMATCH'}; a ledger difference over the same window says ${e.ledgerWindow.calls} calls, ${e.ledgerWindow.retries} retries`,
  ]]),
  ['meter cost (time with / without scope)', `${overhead.mean.toFixed(3)} [${overhead.ci95[0].toFixed(3)}, ${overhead.ci95[1].toFixed(3)}] over ${repeats} interleaved bursts of 400 calls`],
]);
const file = await writeResult('llm-accounting', {
  createdAt: new Date().toISOString(),
  setup: { scopes, calls, faultRate, seed, repeats },
  exactness,
  overheadRatio: overhead,
});
console.log(`\nwrote ${file}`);
