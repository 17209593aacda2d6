import { loadOnnxRuntime } from '../../core/onnx-runtime.ts';
import { loadBuiltinDataset, type BuiltinDatasetName } from '../../core/backfill/datasets/builtin.ts';
import { imagesToNchw, subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';

const ort = loadOnnxRuntime();

export interface InferenceFigures {
  readonly images: number;
  readonly batchSize: number;
  readonly rows: { readonly what: string; readonly threads: number; readonly imagesPerSecond: number }[];
}

/**
 * Images per second of the new model, median of 5 interleaved passes after a warm-up, at 1 and 2 threads:
 * a bare onnxruntime session on input already converted to float, the same session converting uint8 → float per
 * batch (what any caller holding images must do), and `OnnxEmbedder.embedImages` (conversion, batching, copy-out
 * and row normalisation).
 */
export async function measureInference(dataset: BuiltinDatasetName, count = 20_000, batchSize = 256): Promise<InferenceFigures> {
  const all = await loadBuiltinDataset(dataset);
  const images = subsetImages(all, Array.from({ length: count }, (_, i) => (i * 3) % all.ids.length));
  const file = builtinModelFiles(dataset).new;
  const rows: InferenceFigures['rows'] = [];
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1 });
    const embedder = await OnnxEmbedder.load(file, { intraOpNumThreads: threads, batchSize });
    const input = imagesToNchw(images);
    const bare = (convert: boolean) => async () => {
      for (let s = 0; s < count; s += batchSize) {
        const e = Math.min(count, s + batchSize);
        const data = convert ? imagesToNchw(images, s, e) : input.subarray(s * 784, e * 784);
        (await session.run({ image: new ort.Tensor('float32', data, [e - s, 1, 28, 28]) })).embedding.dispose();
      }
    };
    const variants: [string, () => Promise<unknown>][] = [
      ['bare session, float input ready', bare(false)],
      ['bare session + uint8→float per batch', bare(true)],
      ['OnnxEmbedder.embedImages', () => embedder.embedImages(images)],
    ];
    const rates = await interleavedRates(count, variants.map(([, run]) => run));
    variants.forEach(([what], v) => rows.push({ what, threads, imagesPerSecond: rates[v] }));
    await session.release();
    await embedder.release();
  }
  return { images: count, batchSize, rows };
}

/** Median images/s of each variant over 5 rounds, the variants taking turns within a round (after one warm-up round). */
async function interleavedRates(count: number, runs: (() => Promise<unknown>)[]): Promise<number[]> {
  for (const run of runs) await run();
  const seconds = runs.map(() => [] as number[]);
  for (let round = 0; round < 5; round++) {
    for (const [v, run] of runs.entries()) {
      const t = performance.now();
      await run();
      seconds[v].push((performance.now() - t) / 1000);
    }
  }
  return seconds.map((s) => Math.round(count / s.sort((a, b) => a - b)[2]));
}
