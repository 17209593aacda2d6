import { describe, expect, it } from 'vitest';
import { builtinModelFiles } from '../../core/backfill/eval/evaluate-builtin.ts';
import { OnnxEmbedder } from '../../core/backfill/embedder.ts';
import { readEmbeddingShard } from '../../core/backfill/gallery/embedding-shard.ts';
import { readGalleryState } from '../../core/backfill/gallery/gallery-state.ts';
import { readImageShard } from '../../core/backfill/gallery/image-shard.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { BackfillSummarySchema } from '../../core/backfill/pipeline/finalise.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { fn as startScheduled } from '../../functions/schedule/start-workflow.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { countingStore, flakyStore, ingestSmall, keys, runBackfill } from './helpers.ts';

const k = galleryKeys('mn');
const shape = { height: 28, width: 28, channels: 1 };

describe('the backfill workflow', () => {
  it('re-embeds every shard with the new model, commits .npy + ids, and makes the new model the gallery\'s', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);

    // Act
    const done = await runBackfill(runtime, { gallery: 'mn', maxConcurrency: 3 });

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    const summary = BackfillSummarySchema.parse(done.output);
    expect(summary).toMatchObject({ status: 'complete', model: 'new', backfilledFraction: 1, items: { total: 1000, backfilled: 1000 }, shards: { total: 4, backfilled: 4 } });
    expect(summary.run.shardsEmbedded).toBe(4);
    const images = await readImageShard(runtime.store, k.shard('images', 2), shape);
    const stored = await readEmbeddingShard(runtime.store, k.shard('new', 2), { rows: 250, dim: 64, model: 'new' });
    const embedder = await OnnxEmbedder.load(builtinModelFiles('mnist').new);
    expect(Array.from(stored.features.data)).toEqual(Array.from((await embedder.embedImages(images)).data));
    await embedder.release();
    expect(stored.ids).toEqual(images.ids);
    expect((await readGalleryState(runtime.store, 'mn'))?.model).toBe('new');
  });

  it('refits the online ψ after each wave when no trained ψ was given', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store, { models: { psi: 'online' } });

    // Act
    const done = await runBackfill(runtime, { gallery: 'mn', refitEvery: 1, maxConcurrency: 1, psiMethod: 'least-squares' });

    // Assess
    const summary = BackfillSummarySchema.parse(done.output);
    expect(summary.psi).toMatchObject({ source: 'online', method: 'least-squares', pairs: 1000, shards: 4 });
    const fits = (await keys(runtime.store, k.psiFits)).filter((key) => key.endsWith('_manifest.json'));
    expect(fits.map((f) => f.split('/').at(-2)!.slice(0, 9))).toEqual(['fit-00001', 'fit-00002', 'fit-00003', 'fit-00004']);
  });

  it('bounds each ψ fit to maxPsiPairs paired items', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store, { models: { psi: 'online' } });
    // Act
    const done = await runBackfill(runtime, { gallery: 'mn', refitEvery: 2, maxPsiPairs: 300 });
    // Assess
    expect(BackfillSummarySchema.parse(done.output).psi).toMatchObject({ source: 'online', method: 'procrustes', pairs: 300, shards: 4 });
  });

  it('embeds at most maxShards shards per run, so scheduled runs advance the backfill in bounded steps', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);

    // Act
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(BackfillSummarySchema.parse((await runBackfill(runtime, { gallery: 'mn', maxShards: 3 })).output));

    // Assess
    expect(runs.map((r) => [r.run.shardsEmbedded, r.shards.backfilled, r.status])).toEqual([
      [3, 3, 'backfilling'], [1, 4, 'complete'], [0, 4, 'complete'],
    ]);
    expect(runs[0].model).toBe('old');
  });

  it('advances a backfill from the schedule\'s event, as the CronV2 entry sends it', async () => {
    // Prepare
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    // Act
    const { id } = await startScheduled.run({ workflow: 'backfill', input: { gallery: 'mn', maxShards: 2 } }, runtime);
    const done = await (await runtime.engine()).wait(id);
    // Assess
    expect(BackfillSummarySchema.parse(done.output)).toMatchObject({ status: 'backfilling', shards: { backfilled: 2 }, run: { shardsEmbedded: 2 } });
  });

  it('keeps the committed shards of a run that fails partway, and a re-run embeds only the missing ones', async () => {
    // Prepare: shard 2's pixels are damaged on disk, so the run fails when it reaches it.
    const runtime = await testRuntime();
    await ingestSmall(runtime.store);
    const pixels = `${k.shard('images', 2)}/pixels.npy`;
    const good = await runtime.store.get(pixels);
    await runtime.store.put(pixels, good.slice(0, 1000));

    // Act
    const failed = await runBackfill(runtime, { gallery: 'mn', refitEvery: 1, maxConcurrency: 1 });
    const committed = await keys(runtime.store, k.shards('new'));
    const manifests = await Promise.all([0, 1].map((s) => runtime.store.get(`${k.shard('new', s)}/_manifest.json`)));
    await runtime.store.put(pixels, good);
    const counting = countingStore(new FileStore(runtime.root));
    const rerun = await testRuntime({ store: counting });
    const done = await runBackfill(rerun, { gallery: 'mn', maxConcurrency: 2 });

    // Assess
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ error: 'DataCorruptError' });
    expect(failed.error?.cause).toMatch(/images\/shard-00002\/pixels\.npy" does not match its manifest .*corrupt/);
    expect(failed.progress?.retries).toBe(0);
    expect(committed.filter((key) => key.endsWith('_manifest.json'))).toHaveLength(2);
    const summary = BackfillSummarySchema.parse(done.output);
    expect(summary.run.shardsEmbedded).toBe(2);
    expect(summary.shards.backfilled).toBe(4);
    expect(counting.reads.filter((key) => key.endsWith('pixels.npy')).sort()).toEqual([`${k.shard('images', 2)}/pixels.npy`, `${k.shard('images', 3)}/pixels.npy`]);
    for (const [s, manifest] of manifests.entries()) expect(await runtime.store.get(`${k.shard('new', s)}/_manifest.json`)).toEqual(manifest);
  });

  it('retries a transient store failure and still commits each shard once', async () => {
    // Prepare
    const base = await testRuntime();
    await ingestSmall(base.store);
    const flaky = flakyStore(new FileStore(base.root), /\/new\/shard-00001\/embeddings\.npy$/, 2);
    const runtime = await testRuntime({ store: flaky });

    // Act
    const done = await runBackfill(runtime, { gallery: 'mn' });

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(flaky.failures).toBe(2);
    expect(done.progress?.retries).toBe(2);
    expect((await keys(base.store, k.shards('new'))).filter((key) => key.endsWith('_manifest.json'))).toHaveLength(4);
  });

  it('names an unknown gallery and starts nothing', async () => {
    // Prepare
    const runtime = await testRuntime();
    // Act
    const done = await runBackfill(runtime, { gallery: 'nope' });
    // Assess
    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual({ error: 'NotFoundError', cause: expect.stringMatching(/no gallery "nope"/) });
    expect(await keys(runtime.store, 'backfill/')).toEqual([]);
  });
});
