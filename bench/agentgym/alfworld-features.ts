import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { agentGymKind } from '../../core/env/agentgym/agentgym-kind.ts';
import { createAgentGymEnvironment } from '../../core/env/agentgym/agentgym-environment.ts';
import { alfworldProfile } from '../../core/env/agentgym/profiles/alfworld.ts';
import { parseAgentGymSpec } from '../../core/env/agentgym/spec.ts';
import { registerEnvironmentPlugin } from '../../core/env/environment-plugins.ts';
import { textPolicyFeatures } from '../../core/env/text-features.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startAlfWorldServer } from '../../test/fixtures/alfworld/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';

// Real-environment GRPO with the built-in policy against the ALFWorld-protocol test server, over HTTP, with the
// ALFWorld profile's features against the generic text features, side by side in one run:
// `npm run bench -- agentgym/alfworld-features [--seeds 3] [--iterations 5] [--groups 8] [--n 4] [--eval 40]`.
// Both arms speak to the same server through the same pipeline; the text arm is the alfworld profile with only its
// features replaced (registered as the plug-in `alfworld-text`). Per seed the run's seed (sampling, task order)
// varies; success is measured greedily on the profile's evaluation games (2,420 onwards) before training and after
// every iteration. Writes bench/results/agentgym-alfworld-features.json.
const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' }, iterations: { type: 'string', default: '5' }, groups: { type: 'string', default: '8' },
    n: { type: 'string', default: '4' }, eval: { type: 'string', default: '40' },
  },
});
registerDefaultExperienceModels();
const server = await startAlfWorldServer();
const alfworldSpec = `${server.url}#profile=alfworld`;
const textProfile = { ...alfworldProfile, features: textPolicyFeatures };
registerEnvironmentPlugin({
  name: 'alfworld-text',
  kind: { ...agentGymKind({ ...parseAgentGymSpec(alfworldSpec), profile: textProfile }), name: 'alfworld-text' },
  ranges: alfworldProfile.ranges,
  open: () => ({ ...createAgentGymEnvironment({ baseUrl: alfworldSpec, maxSteps: 15 }), spec: 'alfworld-text' }),
});
const arms = [{ arm: 'alfworld features', env: alfworldSpec }, { arm: 'text features', env: 'alfworld-text' }];
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-alfworld-bench-'));
const rows: { arm: string; seed: number; before: number; after: number; curve: [number, number][]; seconds: number }[] = [];
try {
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    for (const { arm, env } of arms) {
      const started = performance.now();
      const summary = await runDreamGym({
        runId: `alfworld-${arm.split(' ')[0]}-s${seed}`, env, mode: 'real', seed,
        iterations: Number(values.iterations), groupsPerIteration: Number(values.groups), rolloutsPerGroup: Number(values.n),
        tasks: { trainCount: 200, evalCount: Number(values.eval) }, curriculum: { enabled: false },
      }, storeOnlyDeps(new FileStore(path.join(root, `${arm.split(' ')[0]}-${seed}`))));
      const seconds = (performance.now() - started) / 1000;
      rows.push({ arm, seed, before: summary.realSuccessBefore ?? 0, after: summary.realSuccessAfter ?? 0, curve: summary.curve as [number, number][], seconds });
      console.log(`${arm} seed ${seed}: success ${summary.realSuccessBefore} -> ${summary.realSuccessAfter}  curve ${summary.curve.map(([i, s]) => `${i}:${s}`).join(' ')}  ${seconds.toFixed(0)} s`);
    }
  }
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
const pct = (v: number) => (100 * v).toFixed(1);
const ci = (xs: number[]) => {
  const m = meanCi(xs);
  return `${pct(m.mean)} [${pct(m.ci95[0])}, ${pct(m.ci95[1])}]`;
};
const byArm = (arm: string) => rows.filter((r) => r.arm === arm);
const table = arms.map(({ arm }) => ({
  arm,
  'before % [95% CI]': ci(byArm(arm).map((r) => r.before)),
  'after % [95% CI]': ci(byArm(arm).map((r) => r.after)),
  'paired gain, points [95% CI]': ci(byArm(arm).map((r) => r.after - r.before)),
  seeds: byArm(arm).length,
}));
const alf = byArm('alfworld features');
const text = byArm('text features');
const difference = ci(alf.map((r, i) => r.after - text[i].after));
console.table(table);
console.log(`after-training success, alfworld − text features (paired by seed): ${difference} points`);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'agentgym-alfworld-features.json'), `${JSON.stringify({ settings: values, table, difference, rows }, null, 2)}\n`);
