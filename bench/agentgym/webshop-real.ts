import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startWebShopServer } from '../../test/fixtures/webshop/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';

// Real-environment GRPO with the built-in policy against the WebShop-protocol test server, over HTTP:
// `npm run bench -- agentgym/webshop-real [--seeds 3] [--iterations 5] [--groups 8] [--n 4] [--eval 60]`.
// Per seed: the run's seed (sampling, task order) varies, the server's world is fixed; success is measured on the
// profile's evaluation range (WebShop test goals 0…) before training and after every iteration. The control is
// the same policy before training (iteration 0), paired per seed. Writes bench/results/agentgym-webshop-real.json.
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' }, iterations: { type: 'string', default: '5' }, groups: { type: 'string', default: '8' },
    n: { type: 'string', default: '4' }, eval: { type: 'string', default: '60' },
  },
});
registerDefaultExperienceModels();
const server = await startWebShopServer();
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-agentgym-bench-'));
const rows: { seed: number; before: number; after: number; curve: [number, number][]; realInteractions: number; seconds: number }[] = [];
try {
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const started = performance.now();
    const summary = await runDreamGym({
      runId: `webshop-real-s${seed}`, env: server.url, mode: 'real', seed,
      iterations: Number(values.iterations), groupsPerIteration: Number(values.groups), rolloutsPerGroup: Number(values.n),
      tasks: { trainCount: 200, evalCount: Number(values.eval) }, curriculum: { enabled: false },
    }, storeOnlyDeps(new FileStore(path.join(root, `seed-${seed}`))));
    const seconds = (performance.now() - started) / 1000;
    rows.push({ seed, before: summary.realSuccessBefore ?? 0, after: summary.realSuccessAfter ?? 0, curve: summary.curve as [number, number][],
      realInteractions: summary.realInteractions, seconds });
    console.log(`seed ${seed}: success ${summary.realSuccessBefore} -> ${summary.realSuccessAfter}  curve ${summary.curve.map(([i, s]) => `${i}:${s}`).join(' ')}  ${seconds.toFixed(0)} s`);
  }
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
const pct = (v: number) => (100 * v).toFixed(1);
const before = meanCi(rows.map((r) => r.before));
const after = meanCi(rows.map((r) => r.after));
const gain = meanCi(rows.map((r) => r.after - r.before));
console.table([{
  'before % [95% CI]': `${pct(before.mean)} [${pct(before.ci95[0])}, ${pct(before.ci95[1])}]`,
  'after % [95% CI]': `${pct(after.mean)} [${pct(after.ci95[0])}, ${pct(after.ci95[1])}]`,
  'paired gain, points [95% CI]': `${pct(gain.mean)} [${pct(gain.ci95[0])}, ${pct(gain.ci95[1])}]`,
  seeds: rows.length,
}]);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'agentgym-webshop-real.json'), `${JSON.stringify({ settings: values, before, after, gain, rows }, null, 2)}\n`);
