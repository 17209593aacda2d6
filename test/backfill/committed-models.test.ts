import { describe, expect, it } from 'vitest';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { subsetImages } from '../../core/backfill/datasets/image-set.ts';
import { splitImageSet } from '../../core/backfill/datasets/split.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { evaluateBackfill } from '../../core/backfill/eval/evaluate-backfill.ts';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { evaluateBackfillModels } from '../../core/backfill/eval/evaluate-models.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';

for (const dataset of ['fashion-mnist', 'mnist'] as const) {
  describe(`committed ${dataset} models`, async () => {
    const files = builtinModelFiles(dataset);
    const images = await loadBuiltinDataset(dataset);
    const split = splitImageSet(images);
    // A slice of the held-out split: 1,000 gallery and 200 query images.
    const gallery = subsetImages(images, split.gallery.filter((_, i) => i % 19 === 0).slice(0, 1000));
    const queries = subsetImages(images, split.query.filter((_, i) => i % 7 === 0).slice(0, 200));

    it('take [N, 1, 28, 28] images and give 64-dim unit-length embeddings', async () => {
      for (const file of [files.old, files.new]) {
        const embedder = await OnnxEmbedder.load(file, { intraOpNumThreads: 1, normalize: false });
        const features = await embedder.embedImages(queries, 0, 10);
        expect([embedder.channels, embedder.height, embedder.width, embedder.outputDim]).toEqual([1, 28, 28, 64]);
        expect(features.rows).toBe(10);
        for (let r = 0; r < 10; r++) {
          const norm = Math.hypot(...features.data.subarray(r * 64, (r + 1) * 64));
          expect(norm).toBeCloseTo(1, 5);
        }
        await embedder.release();
      }
    });

    it('have a ψ that maps 64-dim new features to 64-dim old ones', async () => {
      const psi = await OnnxTransform.load(files.psi);
      expect([psi.inDim, psi.outDim]).toEqual([64, 64]);
      await psi.release();
    });

    it('rank the held-out images better with the new model, and better still for the old part with ψ', async () => {
      // Prepare
      const embed = async (file: string) => {
        const e = await OnnxEmbedder.load(file, { batchSize: 128 });
        const out = [await e.embedImages(gallery), await e.embedImages(queries)] as const;
        await e.release();
        return out;
      };
      const [gOld, qOld] = await embed(files.old);
      const [gNew, qNew] = await embed(files.new);
      const psi = await OnnxTransform.load(files.psi);
      const qPsi = await psi.apply(qNew);
      await psi.release();
      // Act
      const result = evaluateBackfill({
        gallery: { old: gOld, new: gNew, labels: gallery.labels },
        queries: { old: qOld, new: qNew, labels: queries.labels },
        psi: qPsi,
        fractions: [0, 0.5, 1],
      });
      // Assess
      expect(result.mAP.new).toBeGreaterThan(result.mAP.old);
      expect(result.modes['rt-merge'].curve[0][1]).toBeGreaterThan(result.mAP.old);
      expect(result.modes['rt-merge'].negativeFlips).toBe(0);
    });

    it('evaluate end to end into the report the eval command prints, online ψ included', async () => {
      // Prepare: a small split of the real images
      const small = { train: split.train, gallery: split.gallery.filter((_, i) => i % 40 === 0), query: split.query };
      // Act
      const report = await evaluateBackfillModels({ images, split: small, models: files, maxQueries: 60, onlinePsi: ['procrustes'] });
      // Assess
      expect(report.queryCount).toBe(60);
      expect(Object.keys(report.modes)).toEqual(['old', 'naive', 'rank-merge', 'rt-merge', 'rt-merge/online-procrustes']);
      const online = report.modes['rt-merge/online-procrustes'];
      expect(online.curve).toHaveLength(11);
      expect(online.curve[0][1]).toBe(report.mAP.old);
      expect(online.curve[10][1]).toBe(report.mAP.new);
      expect(online.curve[5][1]).not.toBe(report.modes['rt-merge'].curve[5][1]);
    });
  });
}
