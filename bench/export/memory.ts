/**
 * Peak memory of `reverie export` against the dataset's size: an offline dataset of N episodes (each ~10 KB of JSON:
 * 8 transitions with page-sized states) is exported to Parquet and to JSONL, each export in a fresh Node process,
 * and the process's peak RSS is read from the kernel (`process.resourceUsage().maxRSS`). The control is the same
 * process opening the same dataset without exporting it (module loading, the runtime, the descriptor read). Each cell
 * runs `--reps` times; the table gives median and range. A flat export has a peak that does not grow with N.
 *
 *   node_modules/.bin/node bench/export/memory.ts [--small 2000] [--large 20000] [--reps 3] [--heap 96]   (a few minutes; --heap 0: no cap)
 *   node_modules/.bin/node bench/export/memory.ts --small 20000 --large 200000 --reps 1      (the big size)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeOfflineDataset } from '../../core/dreamgym/offline/dataset-store.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';
import { exportDataset } from '../../core/export/export-dataset.ts';
import { openExportSource } from '../../core/export/sources.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { printTable, writeResult } from '../dreamgym/table.ts';

const { values } = parseArgs({ options: {
  small: { type: 'string', default: '2000' }, large: { type: 'string', default: '20000' }, reps: { type: 'string', default: '3' },
  heap: { type: 'string', default: '96' },
  child: { type: 'string' }, store: { type: 'string' }, format: { type: 'string' }, to: { type: 'string' },
} });

if (values.child) {
  // One measured process: export (or, for the control, only open) the dataset, then report peak RSS in bytes.
  const store = new FileStore(values.store!);
  const started = performance.now();
  if (values.format === 'none') await openExportSource(store, `offline:${values.child}`);
  else await exportDataset(store, new FileStore(values.to!), { dataset: `offline:${values.child}`, format: values.format! });
  console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS * 1024, seconds: (performance.now() - started) / 1000 }));
  process.exit(0);
}

function episode(i: number): TrajectoryRecord {
  const page = (s: number) => `page: results for query ${i}-${s}\n${Array.from({ length: 8 }, (_, j) => `- item ${i}.${s}.${j}: a product title with some words, price $${(j * 3.7).toFixed(2)}`).join('\n')}`;
  const steps = Array.from({ length: 8 }, (_, s) => ({
    state: page(s), action: `click[item ${i}.${s}.0]`, nextState: page(s + 1), reward: s === 7 ? 1 : 0, done: s === 7, valid: true,
    admissibleActions: [`click[item ${i}.${s}.0]`, 'click[back]'],
  }));
  return {
    id: `bench-${String(i).padStart(7, '0')}`, env: 'shop', task: { id: `task-${i}`, instruction: `buy item ${i}`, goal: { item: i } },
    policy: 'expert', seed: i, steps, finalReward: 1, success: true,
  };
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-bench-export-'));
const sizes = [Number(values.small), Number(values.large)];
const reps = Number(values.reps);
// --heap N caps V8's old space at N MiB: an export that needs memory in proportion to its data fails under a cap
// that a flat one runs within, so the cap tells a leak from a garbage collector that is merely lazy.
const heapFlag = Number(values.heap) > 0 ? [`--max-old-space-size=${Number(values.heap)}`] : [];
const store = new FileStore(path.join(root, 'store'));
const cells: { size: number; format: string; maxRssMiB: number[]; seconds: number[]; bytes: number }[] = [];
try {
  for (const size of sizes) {
    const id = `bench-${size}`;
    await writeOfflineDataset(store, id, (async function* () { for (let i = 0; i < size; i++) yield episode(i); })(), { env: 'shop', plan: { expert: size }, seed: 1, partSize: 500 });
    let sourceBytes = 0;
    for await (const info of store.list(`dreamgym/offline/${id}/`)) sourceBytes += info.size;
    for (const format of ['none', 'parquet', 'jsonl']) {
      const cell = { size, format, maxRssMiB: [] as number[], seconds: [] as number[], bytes: sourceBytes };
      for (let r = 0; r < reps; r++) {
        const to = path.join(root, `out-${size}-${format}-${r}`);
        const child = spawnSync(process.execPath, [...heapFlag, import.meta.filename, '--child', id, '--store', store.root, '--format', format, '--to', to], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`export of ${size} as ${format} failed: ${child.stderr}`);
        const { maxRss, seconds } = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
        cell.maxRssMiB.push(maxRss / 2 ** 20);
        cell.seconds.push(seconds);
        await fs.rm(to, { recursive: true, force: true });
      }
      cells.push(cell);
    }
  }
} finally {
  await fs.rm(root, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const at = (size: number, format: string) => cells.find((c) => c.size === size && c.format === format)!;
printTable(`peak RSS of one export process (MiB, median of ${reps}; range), source JSONL ${sizes.map((s) => `${s} episodes = ${(at(s, 'none').bytes / 2 ** 20).toFixed(0)} MiB`).join(', ')}`, cells.map((c) => [
  `${c.format === 'none' ? 'control (open only)' : c.format} · ${c.size} episodes`, `${median(c.maxRssMiB).toFixed(0)} (${range(c.maxRssMiB)}) MiB, ${median(c.seconds).toFixed(1)} s`,
]));
const ratios = ['parquet', 'jsonl'].map((f) => {
  const above = (s: number) => median(at(s, f).maxRssMiB) - median(at(s, 'none').maxRssMiB);
  return [f, { peakRatio: median(at(sizes[1], f).maxRssMiB) / median(at(sizes[0], f).maxRssMiB), aboveControl: sizes.map(above) }] as const;
});
printTable(`${sizes[1]}/${sizes[0]} episodes (${sizes[1] / sizes[0]}× the data)`, ratios.map(([f, r]) => [
  f, `peak ratio ${r.peakRatio.toFixed(2)}; above control ${r.aboveControl.map((x) => x.toFixed(0)).join(' → ')} MiB`,
]));
console.log(`\nwrote ${await writeResult('export-memory', { sizes, reps, cells, ratios: Object.fromEntries(ratios) })}`);
