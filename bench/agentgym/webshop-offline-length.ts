import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../core/dreamgym/offline/create-dataset.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { startWebShopServer } from '../../test/fixtures/webshop/server.ts';
import { meanCi } from '../dreamgym-train/lib/stats.ts';

// Mean length of uniform-random offline episodes on the WebShop-protocol test server (what `dreamgym offline --env
// <url> --random N` writes): `npm run bench -- agentgym/webshop-offline-length [--seeds 3] [--episodes 200]`.
// Per seed: N episodes on the profile's offline range (session ids 1,500…), the uniform policy with its default 5%
// invalid actions, the AgentGym client's default 30-step limit. Writes bench/results/agentgym-webshop-offline-length.json.
const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, episodes: { type: 'string', default: '200' } } });
const server = await startWebShopServer();
const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-webshop-length-'));
const rows: { seed: number; episodes: number; transitions: number; meanSteps: number; successRate: number }[] = [];
try {
  for (let seed = 1; seed <= Number(values.seeds); seed++) {
    const n = Number(values.episodes);
    const info = await createOfflineDataset(new FileStore(root), OfflineDatasetRequestSchema.parse({ env: server.url, random: n, taskCount: n, seed }));
    rows.push({ seed, episodes: info.trajectories, transitions: info.transitions, meanSteps: info.transitions / info.trajectories, successRate: info.successRate });
  }
} finally {
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
const steps = meanCi(rows.map((r) => r.meanSteps));
console.table(rows);
console.log(`mean steps per random episode: ${steps.mean.toFixed(2)} [95% CI ${steps.ci95[0].toFixed(2)}, ${steps.ci95[1].toFixed(2)}] over ${rows.length} seeds`);
const outDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, 'agentgym-webshop-offline-length.json'), `${JSON.stringify({ settings: values, steps, rows }, null, 2)}\n`);
