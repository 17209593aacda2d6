import { loadBuiltinDataset, type BuiltinDatasetName } from '../../core/backfill/datasets/builtin.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { backfillOrder, backfilledCount } from '../../core/backfill/eval/backfill-order.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { selectRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { createBackfillGallery } from '../../core/backfill/search/backfill-gallery.ts';
import { searchExact } from '../../core/backfill/search/exact-search.ts';
import { searchBackfillGallery } from '../../core/backfill/search/merged-search.ts';
import { SearchMode } from '../../core/backfill/search/search-mode.ts';

export interface SearchLatencyFigures {
  readonly gallerySize: number;
  readonly queries: number;
  readonly k: number;
  readonly backfilledFraction: number;
  readonly rows: { readonly search: string; readonly p50Ms: number; readonly p99Ms: number; readonly vsSingleP50: number }[];
}

/**
 * Per-query latency of exact top-k over the whole dataset as a gallery (70,000 items): one space (old features
 * only) against each merge mode with half the gallery backfilled, all in one run, one query at a time, the
 * variants interleaved query by query.
 */
export async function measureSearchLatency(dataset: BuiltinDatasetName, queries = 300, k = 10, fraction = 0.5): Promise<SearchLatencyFigures> {
  const images = await loadBuiltinDataset(dataset);
  const files = builtinModelFiles(dataset);
  const embed = async (file: string) => {
    const e = await OnnxEmbedder.load(file);
    const out = await e.embedImages(images);
    await e.release();
    return out;
  };
  const oldAll = await embed(files.old);
  const newAll = await embed(files.new);
  const queryImages = subsetImages(images, Array.from({ length: queries }, (_, i) => (i * 233) % images.ids.length));
  const q = async (file: string) => { const e = await OnnxEmbedder.load(file); const f = await e.embedImages(queryImages); await e.release(); return f; };
  const qOld = await q(files.old), qNew = await q(files.new);
  const psi = await OnnxTransform.load(files.psi);
  const qPsi = await psi.apply(qNew);
  await psi.release();
  const done = backfillOrder(images.ids.length, 1).subarray(0, backfilledCount(images.ids.length, fraction));
  const gallery = createBackfillGallery({ features: oldAll }, { features: selectRows(newAll, done), indices: done });
  const row = (m: FeatureMatrix, i: number): FeatureMatrix => selectRows(m, [i]);
  const runs: [string, (i: number) => unknown][] = [
    ['single space (old, exact)', (i) => searchExact(row(qOld, i), { features: oldAll }, k)],
    ...[SearchMode.naive, SearchMode.rankMerge, SearchMode.rtMerge].map((mode) => [
      `merged: ${mode}`,
      (i: number) => searchBackfillGallery(mode, { old: row(qOld, i), new: row(qNew, i), psi: row(qPsi, i) }, gallery, k),
    ] as [string, (i: number) => unknown]),
  ];
  // Interleaved, query by query, so that load from other processes hits every variant alike.
  for (let i = 0; i < 20; i++) for (const [, run] of runs) run(i);
  const times = runs.map(() => [] as number[]);
  for (let i = 0; i < queries; i++) {
    runs.forEach(([, run], v) => {
      const t = performance.now();
      run(i);
      times[v].push(performance.now() - t);
    });
  }
  const latencies = runs.map(([name], v) => {
    const sorted = times[v].sort((a, b) => a - b);
    return { name, p50: sorted[Math.floor(queries * 0.5)], p99: sorted[Math.min(queries - 1, Math.floor(queries * 0.99))] };
  });
  const single = latencies[0].p50;
  return {
    gallerySize: images.ids.length, queries, k, backfilledFraction: fraction,
    rows: latencies.map((l) => ({ search: l.name, p50Ms: +l.p50.toFixed(3), p99Ms: +l.p99.toFixed(3), vsSingleP50: +(l.p50 / single).toFixed(2) })),
  };
}
