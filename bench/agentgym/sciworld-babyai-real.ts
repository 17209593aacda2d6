import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startBabyAIServer } from '../../test/fixtures/babyai/server.ts';
import { startSciWorldServer } from '../../test/fixtures/sciworld/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';

// Real-environment GRPO with the built-in policy against the SciWorld- and BabyAI-protocol test servers, over HTTP:
// `npm run bench -- agentgym/sciworld-babyai-real [--seeds 3] [--iterations 3] [--groups 4] [--n 4] [--eval 40]`.
// Per server and seed: the run's seed varies, the server's world is fixed; success (reward 1) and mean final reward
// are measured on the profile's evaluation range before training and after every iteration, paired per seed with
// iteration 0 as the control. Writes bench/results/agentgym-sciworld-babyai-real.json.
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' }, iterations: { type: 'string', default: '3' }, groups: { type: 'string', default: '4' },
    n: { type: 'string', default: '4' }, eval: { type: 'string', default: '40' },
  },
});
registerDefaultExperienceModels();
const servers = { sciworld: await startSciWorldServer(), babyai: await startBabyAIServer() };
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-agentgym-bench-'));
const rows: { profile: string; seed: number; before: number; after: number; curve: [number, number][]; realInteractions: number; seconds: number }[] = [];
try {
  for (const [profile, server] of Object.entries(servers)) {
    for (let seed = 1; seed <= Number(values.seeds); seed++) {
      const started = performance.now();
      const summary = await runDreamGym({
        runId: `${profile}-real-s${seed}`, env: `${server.url}#profile=${profile}`, mode: 'real', seed,
        iterations: Number(values.iterations), groupsPerIteration: Number(values.groups), rolloutsPerGroup: Number(values.n),
        tasks: { trainCount: 200, evalCount: Number(values.eval) }, curriculum: { enabled: false },
      }, storeOnlyDeps(new FileStore(path.join(root, `${profile}-seed-${seed}`))));
      const seconds = (performance.now() - started) / 1000;
      rows.push({ profile, seed, before: summary.realSuccessBefore ?? 0, after: summary.realSuccessAfter ?? 0, curve: summary.curve as [number, number][],
        realInteractions: summary.realInteractions, seconds });
      console.log(`${profile} seed ${seed}: success ${summary.realSuccessBefore} -> ${summary.realSuccessAfter}  curve ${summary.curve.map(([i, s]) => `${i}:${s}`).join(' ')}  ${seconds.toFixed(0)} s`);
    }
  }
} finally {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await rm(root, { recursive: true, force: true });
}
const pct = (v: number) => (100 * v).toFixed(1);
const ci = (v: { mean: number; ci95: [number, number] }) => `${pct(v.mean)} [${pct(v.ci95[0])}, ${pct(v.ci95[1])}]`;
const summaries = Object.keys(servers).map((profile) => {
  const mine = rows.filter((r) => r.profile === profile);
  return { profile, before: meanCi(mine.map((r) => r.before)), after: meanCi(mine.map((r) => r.after)), gain: meanCi(mine.map((r) => r.after - r.before)), seeds: mine.length };
});
console.table(summaries.map((s) => ({ profile: s.profile, 'before % [95% CI]': ci(s.before), 'after % [95% CI]': ci(s.after),
  'paired gain, points [95% CI]': ci(s.gain), seeds: s.seeds })));
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'agentgym-sciworld-babyai-real.json'), `${JSON.stringify({ settings: values, summaries, rows }, null, 2)}\n`);
