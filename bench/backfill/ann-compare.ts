/**
 * Which approximate index to ship: usearch, hnswlib-node and faiss-node side by side on the same clustered unit
 * vectors, each an HNSW graph with M=16, efConstruction=128, ef=128, searched one query at a time. Per candidate:
 * whether it installs from the npm registry alone, build time, memory (RSS growth and serialized bytes, both vs the
 * raw vectors), recall@10 against the exact scan, p50/p99, adding 10% more, deleting 10% (recall after), and a
 * round trip through bytes.
 *
 *   npm run bench -- backfill/ann-compare [--rows 50000] [--dim 128] [--candidates /dir/with/node_modules]
 *
 * Measured here (50k × 128, load average ~13 on 2 cores): see README "Approximate index". Only usearch is a project dependency. Point `--candidates` at a folder where `npm install hnswlib-node faiss-node`
 * was tried; a package missing there is reported with the end of its install log (`<folder>/<name>.log`).
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clusteredUnitVectors } from '../../core/backfill/datasets/clustered-vectors.ts';
import { featureRow, selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { searchExact } from '../../core/backfill/search/exact-search.ts';
import { UsearchIndex } from '../../core/backfill/search/index/usearch-index.ts';
import { quantile, writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '50000' }, dim: { type: 'string', default: '128' }, queries: { type: 'string', default: '300' }, candidates: { type: 'string' } },
});
const rows = Number(values.rows), dim = Number(values.dim), queryCount = Number(values.queries), K = 10, M = 16, EFC = 128, EF = 128;

/** The operations compared, over each library's own API. */
interface Candidate {
  add(ids: Int32Array, m: FeatureMatrix): Promise<void>;
  remove(ids: Int32Array): Promise<void>;
  search(q: Float32Array, k: number): Promise<number[]>;
  /** Serializes to bytes and loads them into a fresh index that replaces this one; returns the byte count. */
  roundTrip(): Promise<number>;
}

async function usearchCandidate(): Promise<Candidate> {
  let index = new UsearchIndex(dim, { connectivity: M, expansionAdd: EFC, expansionSearch: EF, addThreads: 2 });
  return {
    add: (ids, m) => index.add(ids, m),
    remove: (ids) => index.remove(ids),
    search: async (q, k) => (await index.search({ data: q, rows: 1, dim }, k))[0].map((h) => h.index),
    async roundTrip() {
      const bytes = (await index.serialize())!;
      index = await UsearchIndex.load(dim, bytes, { connectivity: M, expansionAdd: EFC, expansionSearch: EF });
      return bytes.byteLength;
    },
  };
}

interface HnswlibIndex {
  initIndex(o: { maxElements: number; m: number; efConstruction: number; randomSeed: number }): void;
  resizeIndex(n: number): void;
  getMaxElements(): number;
  addPoint(p: Float32Array | number[], label: number): void;
  markDelete(label: number): void;
  setEf(ef: number): void;
  searchKnn(q: Float32Array | number[], k: number): { neighbors: number[] };
  writeIndexSync(file: string): void;
  readIndexSync(file: string): void;
}

function hnswlibCandidate(lib: { HierarchicalNSW: new (space: string, dim: number) => HnswlibIndex }): Candidate {
  const make = () => new lib.HierarchicalNSW('ip', dim);
  let index = make();
  index.initIndex({ maxElements: rows, m: M, efConstruction: EFC, randomSeed: 100 });
  index.setEf(EF);
  let live = 0;
  return {
    async add(ids, m) {
      if (live + ids.length > index.getMaxElements()) index.resizeIndex(live + ids.length);
      // hnswlib-node takes one point per call, converted to a JS array by the binding.
      for (let i = 0; i < ids.length; i++) index.addPoint(Array.from(featureRow(m, i)), ids[i]);
      live += ids.length;
    },
    async remove(ids) {
      for (const id of ids) index.markDelete(id);
    },
    search: async (q, k) => index.searchKnn(Array.from(q), k).neighbors,
    async roundTrip() {
      const file = path.join(os.tmpdir(), `ann-compare-${process.pid}.hnsw`);
      index.writeIndexSync(file);
      const bytes = await fs.readFile(file);
      const next = make();
      await fs.writeFile(file, bytes);
      next.readIndexSync(file);
      next.setEf(EF);
      await fs.rm(file, { force: true });
      index = next;
      return bytes.byteLength;
    },
  };
}

const { vectors, centres } = clusteredUnitVectors({ rows, dim, seed: 1 });
const queries = clusteredUnitVectors({ rows: queryCount, dim, seed: 2 }, centres).vectors;
const ids = Int32Array.from({ length: rows }, (_, i) => i);
const base = Math.floor(rows * 0.9);
const truthFor = (kept: (id: number) => boolean) => searchExact(queries, { features: vectors }, K, { rows: Uint32Array.from(Array.from(ids).filter(kept)) });

async function recallOf(c: Candidate, truth: { index: number }[][]): Promise<{ recall: number; times: number[] }> {
  let hit = 0;
  const times: number[] = [];
  for (let q = 0; q < queryCount; q++) {
    const t = performance.now();
    const got = new Set(await c.search(featureRow(queries, q), K));
    times.push(performance.now() - t);
    for (const h of truth[q]) hit += got.has(h.index) ? 1 : 0;
  }
  return { recall: hit / (queryCount * K), times };
}

const timed = async (run: () => Promise<unknown>) => {
  const t = performance.now();
  await run();
  return performance.now() - t;
};

async function measure(name: string, make: () => Promise<Candidate>) {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const c = await make();
  const buildMs = await timed(() => c.add(ids.subarray(0, base), selectRows(vectors, Array.from(ids.subarray(0, base)))));
  const addMs = await timed(() => c.add(ids.subarray(base), selectRows(vectors, Array.from(ids.subarray(base)))));
  const rssRatio = (process.memoryUsage().rss - rss0) / vectors.data.byteLength;
  const full = await recallOf(c, truthFor(() => true));
  const removed = Int32Array.from({ length: Math.floor(rows / 10) }, (_, i) => i * 10);
  const removeMs = await timed(() => c.remove(removed));
  const afterRemove = await recallOf(c, truthFor((id) => id % 10 !== 0));
  let bytes = 0;
  const roundTripMs = await timed(async () => { bytes = await c.roundTrip(); });
  const afterLoad = await recallOf(c, truthFor((id) => id % 10 !== 0));
  return {
    name, installed: true, buildMs: Math.round(buildMs), buildPerItemUs: +((buildMs * 1000) / base).toFixed(1), add10pctMs: Math.round(addMs), remove10pctMs: Math.round(removeMs),
    recallAt10: full.recall, recallAfterRemove: afterRemove.recall, recallAfterLoad: afterLoad.recall, p50Ms: +quantile(full.times, 0.5).toFixed(3), p99Ms: +quantile(full.times, 0.99).toFixed(3),
    rssRatio: +rssRatio.toFixed(2), serializedRatio: +(bytes / vectors.data.byteLength).toFixed(2), roundTripMs: Math.round(roundTripMs),
  };
}

async function installFailure(name: string): Promise<string> {
  if (!values.candidates) return 'not a project dependency; pass --candidates <folder> where `npm install` of it was tried';
  const log = await fs.readFile(path.join(values.candidates, `${name}.log`), 'utf8').catch(() => '(no install log)');
  return log.split('\n').filter((l) => /error|ENOTFOUND|fatal|failed/i.test(l)).slice(0, 6).join(' | ');
}

const req = createRequire(path.join(values.candidates ?? process.cwd(), 'package.json'));
const rowsOut: object[] = [await measure('usearch', usearchCandidate)];
for (const name of ['hnswlib-node', 'faiss-node']) {
  let lib: unknown;
  try {
    lib = req(name);
  } catch {
    rowsOut.push({ name, installed: false, reason: await installFailure(name) });
    continue;
  }
  if (name === 'hnswlib-node') rowsOut.push(await measure(name, async () => hnswlibCandidate(lib as Parameters<typeof hnswlibCandidate>[0])));
  else rowsOut.push({ name, installed: true, reason: 'loaded but not measured: no adapter written (it never installed here)' });
}

console.log(`approximate indexes: ${rows} clustered unit vectors × ${dim}, HNSW M=${M} efC=${EFC} ef=${EF}, ${queryCount} queries, k=${K}`);
console.table(rowsOut);
console.log(`wrote ${await writeResult('backfill-ann-compare', { rows, dim, queries: queryCount, k: K, M, efConstruction: EFC, ef: EF, candidates: rowsOut })}`);
