/**
 * Runs one benchmark by name, or lists them. Every benchmark prints a table and writes JSON under bench/results/;
 * none of them decides whether `npm test` passes.
 *
 *   npm run bench                      # list
 *   npm run bench -- backfill/eval     # run bench/backfill/eval.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = import.meta.dirname;
const benches = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'results')
  .flatMap((d) => fs.readdirSync(path.join(root, d.name)).filter((f) => f.endsWith('.ts') && !isHelper(d.name, f)).map((f) => `${d.name}/${f.slice(0, -3)}`))
  .sort();

function isHelper(dir: string, file: string): boolean {
  // modules imported by benchmarks rather than run on their own
  return /^(table|shop-data|shop-experts|latency-proxy|reward-model-check)\.ts$/.test(file) || (dir === 'results');
}

const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.log(`benchmarks (npm run bench -- <name> [args]):\n${benches.map((b) => `  ${b}`).join('\n')}`);
  process.exit(0);
}
if (!benches.includes(name)) {
  console.error(`no benchmark "${name}"; one of: ${benches.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [path.join(root, `${name}.ts`), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
