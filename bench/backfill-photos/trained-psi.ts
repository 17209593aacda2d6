/**
 * A trained ψ against the online one on the project's photo pair (48-d → 32-d):
 * `node bench/backfill-photos/trained-psi.ts [--seeds 3] [--train 300] [--gallery 200]`.
 * Per seed: generated photos for training (seed 100 + s) and a gallery of other generated photos (seed 200 + s);
 * `trainPsiForCards` on the first (10% held out), then the gallery ingested twice — with the trained ψ and with the
 * online fit — backfilled to the end and evaluated (`evaluateGallery`, same held-out queries, same curve seed). The
 * online eval's ψ is the final fit on every gallery pair (in-sample for the gallery); the trained ψ never saw it.
 * Paired differences trained − online over the seeds, 95% t intervals.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateGallery } from '../../core/backfill/gallery/evaluate-gallery.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { trainPsiForCards } from '../../core/backfill/reverse-transform/train-psi.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import { meanInterval } from '../../core/stats/mean-interval.ts';
import { writePhotoFolder } from '../../test/fixtures/photo-set.ts';
import { createLocalRuntime } from '../../workflows/local-runtime.ts';
import { writeResult } from '../backfill-pipeline/table.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, train: { type: 'string', default: '300' }, gallery: { type: 'string', default: '200' } } });
const seeds = Number(values.seeds), trainCount = Number(values.train), galleryCount = Number(values.gallery);
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = { oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json') };

const root = await mkdtemp(path.join(os.tmpdir(), 'reverie-bench-trained-psi-'));
const runtime = createLocalRuntime(loadConfig({ REVERIE_STORE: `file://${path.join(root, 'store')}` }), { log: silentLogger });
const engine = await runtime.engine();
const rows: Record<string, number>[] = [];
try {
  for (let seed = 1; seed <= seeds; seed++) {
    const trainDir = path.join(root, `train-${seed}`), galleryDir = path.join(root, `gallery-${seed}`);
    await writePhotoFolder(trainDir, { count: trainCount, seed: 100 + seed });
    await writePhotoFolder(galleryDir, { count: galleryCount, seed: 200 + seed });
    const trained = await trainPsiForCards({ dataset: trainDir, ...cards });
    const psiFile = path.join(root, `psi-${seed}.json`);
    await writeFile(psiFile, trained.text);
    const result: Record<string, Awaited<ReturnType<typeof evaluateGallery>>> = {};
    for (const variant of ['trained', 'online'] as const) {
      const gallery = `ph-${seed}-${variant}`;
      await ingestPhotoGallery(runtime.store, { dataset: galleryDir, galleryId: gallery, ...cards, shardSize: 20, queryFraction: 0.2, ...(variant === 'trained' ? { psi: psiFile } : {}) });
      const done = await engine.wait((await engine.start('backfill', { gallery })).id);
      if (done.status !== 'SUCCEEDED') throw new Error(`backfill ${gallery}: ${done.status}`);
      result[variant] = await evaluateGallery(runtime.store, gallery);
    }
    const rt = (v: string) => result[v].modes['rt-merge'];
    const row = {
      seed, heldOutCosine: trained.file.quality.heldOutMeanCosine ?? Number.NaN, trainCosine: trained.file.quality.trainMeanCosine,
      mapOld: result.trained.mAP.old, mapNew: result.trained.mAP.new,
      aucTrained: rt('trained').auc, aucOnline: rt('online').auc, gainTrained: rt('trained').relativeGain ?? Number.NaN, gainOnline: rt('online').relativeGain ?? Number.NaN,
    };
    rows.push(row);
    console.log(`seed ${seed}: ψ cos train ${row.trainCosine.toFixed(4)} held-out ${row.heldOutCosine.toFixed(4)}; mAP old ${row.mapOld.toFixed(4)} new ${row.mapNew.toFixed(4)}; ` +
      `rt-merge AUC trained ${row.aucTrained.toFixed(4)} online ${row.aucOnline.toFixed(4)}, relative gain ${row.gainTrained.toFixed(3)} vs ${row.gainOnline.toFixed(3)}`);
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const num = (k: string) => rows.map((r) => Number(r[k]));
const diff = (a: string, b: string) => meanInterval(num(a).map((x, i) => x - num(b)[i]));
const summary = {
  heldOutCosine: meanInterval(num('heldOutCosine')), aucDiff: diff('aucTrained', 'aucOnline'), gainDiff: diff('gainTrained', 'gainOnline'),
  gainTrained: meanInterval(num('gainTrained')), gainOnline: meanInterval(num('gainOnline')),
};
const ci = (m: { mean: number; ci95: readonly [number, number] }) => `${m.mean.toFixed(4)} [${m.ci95[0].toFixed(4)}, ${m.ci95[1].toFixed(4)}]`;
console.log(`\nphoto pair, ${trainCount} training photos, gallery ${galleryCount}, ${seeds} seeds; mean [95% CI]`);
console.log(`ψ held-out cosine          ${ci(summary.heldOutCosine)}`);
console.log(`rt-merge relative gain     trained ${ci(summary.gainTrained)}   online ${ci(summary.gainOnline)}`);
console.log(`trained − online           AUC ${ci(summary.aucDiff)}   relative gain ${ci(summary.gainDiff)}`);
console.log(`written to ${await writeResult('trained-psi', { trainCount, galleryCount, seeds, rows, summary })}`);
