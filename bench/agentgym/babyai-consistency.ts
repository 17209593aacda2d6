import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/config.ts';
import { evaluateConsistency, textStateAgreement } from '../../core/dreamgym/consistency/index.ts';
import { heldOutTrajectories } from '../../core/dreamgym/consistency/held-out.ts';
import { BuiltinExperienceModel } from '../../core/dreamgym/experience/builtin/index.ts';
import { ExperienceSetupSchema, prepareExperience } from '../../core/dreamgym/setup/prepare-experience.ts';
import { environmentKind } from '../../core/env/environment-kinds.ts';
import { babyaiStateAgreement } from '../../core/env/agentgym/profiles/babyai-knowledge.ts';
import { createLogger } from '../../core/log.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startBabyAIServer } from '../../test/fixtures/babyai/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';
import { writeResult } from '../dreamgym/table.ts';

// Consistency of the built-in experience model on the BabyAI-protocol fixture, over HTTP:
// `npm run bench -- agentgym/babyai-consistency [--seeds 3] [--offline 200] [--held-out 50]`.
// Per seed s: `reverie dreamgym offline --random <offline> --seed s` on tasks 0…, held-out random episodes on tasks
// 800… (seed s + 1); the same held-out transitions are replayed through the model reusing the nearest neighbour's
// outcome (what BabyAI had before) and through the model with BabyAI's composer, each scored with whole-text
// agreement and with `babyai-answer`. Writes bench/results/agentgym-babyai-consistency.json.
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, offline: { type: 'string', default: '200' }, 'held-out': { type: 'string', default: '50' } } });
const server = await startBabyAIServer();
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-babyai-consistency-'));
const bin = path.resolve(import.meta.dirname, '../../bin/reverie.js');
const cli = (args: string[]) => new Promise<string>((resolve, reject) => {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, REVERIE_STORE: `file://${root}` } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`reverie ${args.join(' ')} exited ${code}`))));
});
const env = `${server.url}#profile=babyai`;
const rows: Record<string, number | string>[] = [];
try {
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const offline = JSON.parse(await cli(['dreamgym', 'offline', '--env', server.url, '--profile', 'babyai', '--random', values.offline!, '--tasks', values.offline!, '--seed', String(seed), '--json']));
    const prepared = await prepareExperience(new FileStore(root), ExperienceSetupSchema.parse({ env, dataset: offline.id, seed }), { config: loadConfig({}), log: createLogger('warn') });
    const trajectories = await heldOutTrajectories({ env, count: Number(values['held-out']), range: { start: 800, end: 880 }, seed: seed + 1 });
    for (const composition of ['nearest', 'auto'] as const) {
      for (const agreement of [textStateAgreement, babyaiStateAgreement]) {
        const model = new BuiltinExperienceModel({ buffer: prepared.buffer, kind: environmentKind(env), composition });
        const r = await evaluateConsistency({ model, trajectories, agreement });
        rows.push({ seed, model: composition === 'auto' ? 'babyai composer' : 'nearest neighbour', agreement: agreement.name, transitions: r.transitions,
          nextState: r.nextStateAgreement, strictText: r.strictTextAgreement, reward: r.rewardAgreement, invalid: r.invalidAgreement, done: r.doneAgreement });
      }
    }
    console.log(`seed ${seed}: ${offline.transitions} offline transitions, ${rows.at(-1)!.transitions} held-out`);
  }
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
const f = (v: { mean: number; ci95: [number, number] }) => `${v.mean.toFixed(3)} [${v.ci95[0].toFixed(3)}, ${v.ci95[1].toFixed(3)}]`;
const groups = [...new Set(rows.map((r) => `${r.model}|${r.agreement}`))].map((key) => {
  const mine = rows.filter((r) => `${r.model}|${r.agreement}` === key);
  const stat = (name: string) => f(meanCi(mine.map((r) => Number(r[name]))));
  return { model: mine[0].model, agreement: mine[0].agreement, 'next state': stat('nextState'), 'whole text': stat('strictText'), 'terminal reward': stat('reward'), invalid: stat('invalid'), done: stat('done'), seeds: mine.length };
});
console.table(groups);
console.log(await writeResult('agentgym-babyai-consistency', { settings: values, groups, rows }));
