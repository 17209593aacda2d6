import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { registerDefaultExperienceModels } from '../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../core/dreamgym/train/run-dreamgym.ts';
import { babyaiFeatures } from '../../core/env/agentgym/profiles/babyai-features.ts';
import { AGENTGYM_PROFILES, babyaiProfile, type AgentGymProfile } from '../../core/env/agentgym/profiles/index.ts';
import { textPolicyFeatures } from '../../core/env/text-features.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startBabyAIServer } from '../../test/fixtures/babyai/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';
import { writeResult } from '../dreamgym/table.ts';

// Real-mode GRPO with the built-in policy on the BabyAI-protocol fixture, generic text features vs BabyAI features,
// the same seeds and settings side by side in one run (as bench/agentgym/sciworld-babyai-real.ts):
// `npm run bench -- agentgym/babyai-features [--seeds 3] [--first-seed 1] [--iterations 3] [--groups 4] [--n 4] [--eval 40]`.
// The arms are profiles that differ only in `features` (registered here for the benchmark): `text-v1`, the shipped
// `babyai-v2`, and `babyai-v1`, v2 with its first version's check features (a repeated check also carries the
// check's weight). Success is
// measured on the evaluation range before training and after every iteration. Writes
// bench/results/agentgym-babyai-features.json.
const { values } = parseArgs({ options: {
  seeds: { type: 'string', default: '3' }, 'first-seed': { type: 'string', default: '1' }, iterations: { type: 'string', default: '3' }, groups: { type: 'string', default: '4' },
  n: { type: 'string', default: '4' }, eval: { type: 'string', default: '40' },
} });
registerDefaultExperienceModels();
const arms: Record<string, AgentGymProfile> = {
  'text-v1': { ...babyaiProfile, features: textPolicyFeatures },
  'babyai-v2': { ...babyaiProfile, features: babyaiFeatures },
  'babyai-v1': { ...babyaiProfile, features: {
    featureSet: 'babyai-v1',
    actionFeatures: (instruction, state, actions, earlier) => babyaiFeatures.actionFeatures(instruction, state, actions, earlier).map((row) =>
      row.length === 1 && row[0][0] === 'baby:check:repeat' ? [['baby:check', 1], ['baby:check:repeat', 1]] : row),
  } },
};
for (const [name, profile] of Object.entries(arms)) (AGENTGYM_PROFILES as Record<string, AgentGymProfile>)[`babyai-${name}`] = { ...profile, name: 'babyai' };
const server = await startBabyAIServer();
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-babyai-features-'));
const rows: { features: string; seed: number; before: number; after: number; min: number; curve: [number, number][] }[] = [];
try {
  const first = Number(values['first-seed']);
  for (let seed = first; seed < first + Number(values.seeds); seed++) {
    for (const features of Object.keys(arms)) {
      const summary = await runDreamGym({
        runId: `babyai-${features}-s${seed}`, env: `${server.url}#profile=babyai-${features}`, mode: 'real', seed,
        iterations: Number(values.iterations), groupsPerIteration: Number(values.groups), rolloutsPerGroup: Number(values.n),
        tasks: { trainCount: 200, evalCount: Number(values.eval) }, curriculum: { enabled: false },
      }, storeOnlyDeps(new FileStore(path.join(root, `${features}-${seed}`))));
      const curve = summary.curve as [number, number][];
      rows.push({ features, seed, before: summary.realSuccessBefore ?? 0, after: summary.realSuccessAfter ?? 0, min: Math.min(...curve.map(([, s]) => s)), curve });
      console.log(`${features} seed ${seed}: curve ${curve.map(([i, s]) => `${i}:${(100 * s).toFixed(1)}`).join(' ')}`);
    }
  }
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
const pct = (v: { mean: number; ci95: [number, number] }) => `${(100 * v.mean).toFixed(1)} [${(100 * v.ci95[0]).toFixed(1)}, ${(100 * v.ci95[1]).toFixed(1)}]`;
const by = (f: string) => rows.filter((r) => r.features === f);
const table = Object.keys(arms).map((f) => ({ features: f, 'before %': pct(meanCi(by(f).map((r) => r.before))), 'after %': pct(meanCi(by(f).map((r) => r.after))),
  'gain, points': pct(meanCi(by(f).map((r) => r.after - r.before))), 'lowest point %': pct(meanCi(by(f).map((r) => r.min))), seeds: by(f).length }));
const paired = Object.fromEntries(['babyai-v2', 'babyai-v1'].map((f) => [f, meanCi(by(f).map((r, i) => r.after - by('text-v1')[i].after))]));
console.table(table);
for (const [f, d] of Object.entries(paired)) console.log(`after, ${f} − text-v1 (paired by seed): ${pct(d)} points`);
console.log(await writeResult('agentgym-babyai-features', { settings: values, table, paired, rows }));
