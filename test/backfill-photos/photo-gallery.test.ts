import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const emulator = useEmulator();
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = ['--old-model', path.join(MODELS, 'old.card.json'), '--new-model', path.join(MODELS, 'new.card.json')];

/** 56 labelled photos in 4 class folders plus 6 unlabelled ones at the top, mixed JPEG/PNG/WebP of 40–320 px. */
async function photoFolder(): Promise<string> {
  const dir = await tempDir('photos-');
  await writePhotoFolder(dir, { count: 56, seed: 21 });
  await writePhotoFolder(dir, { count: 6, seed: 22, labelled: false });
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** ingest → backfill half → search during it → finish → eval, all through the real CLI. */
async function endToEnd(dataset: string, env: Record<string, string>, query: string) {
  const ingest = await runCli(['backfill', 'ingest', '--dataset', dataset, '--gallery', 'ph', ...cards, '--psi', 'online', '--shard-size', '10', '--query-fraction', '0.2', '--json'], env);
  const half = await runCli(['backfill', 'run', 'ph', '--max-shards', '2', '--json'], env);
  const during = await runCli(['backfill', 'search', 'ph', '--image', query, '--mode', 'rt-merge', '--k', '10', '--json'], env);
  const rest = await runCli(['backfill', 'run', 'ph', '--json'], env);
  const evaluation = await runCli(['backfill', 'eval', '--gallery', 'ph', '--json'], env);
  return { ingest, half, during, rest, evaluation };
}

function assessEndToEnd(result: Awaited<ReturnType<typeof endToEnd>>) {
  for (const step of Object.values(result)) expect(step.stderr.replace(/.*\r/g, '')).not.toMatch(/Error|at .*\.ts:\d+/);
  const ingest = JSON.parse(result.ingest.stdout);
  expect(ingest).toMatchObject({ gallery: 'ph', created: true, dims: { old: 32, new: 48 }, psi: 'online' });
  expect(ingest.items + ingest.queries).toBe(62);
  expect(ingest.queries).toBeGreaterThan(0);
  expect(JSON.parse(result.half.stdout)).toMatchObject({ status: 'backfilling', shards: { backfilled: 2 } });
  const during = JSON.parse(result.during.stdout);
  expect(during.results).toHaveLength(10);
  expect(during.results[0]).toEqual({ sourceId: expect.any(String), score: expect.any(Number) });
  expect(during.backfilledFraction).toBeGreaterThan(0);
  expect(during.backfilledFraction).toBeLessThan(1);
  expect(JSON.parse(result.rest.stdout)).toMatchObject({ status: 'complete' });
  const evaluation = JSON.parse(result.evaluation.stdout);
  expect(evaluation).toMatchObject({ dataset: 'ph', gallerySize: ingest.items });
  expect(Object.keys(evaluation.modes)).toEqual(expect.arrayContaining(['old', 'rank-merge', 'rt-merge']));
  expect(evaluation.mAP.old).toBeGreaterThan(0);
  expect(evaluation.mAP.new).toBeGreaterThan(0);
  // Only labelled queries count, and the curve ends at the new model's mAP.
  expect(evaluation.queryCount).toBeLessThanOrEqual(ingest.queries);
  expect(evaluation.modes['rt-merge'].curve.at(-1)[1]).toBeCloseTo(evaluation.mAP.new, 6);
  return { ingest, during };
}

describe('photo galleries with model cards', () => {
  it('ingests a folder of mixed JPEG/PNG/WebP photos with two models of different dimensions, backfills, searches during it and evaluates', async () => {
    // Prepare
    const folder = await photoFolder();
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const query = path.join(folder, (await filesUnder(folder)).find((f) => f.startsWith('circle/'))!);

    // Act
    const result = await endToEnd(folder, env, query);

    // Assess
    const { during } = assessEndToEnd(result);
    const files = await filesUnder(folder);
    for (const hit of during.results) expect(files).toContain(hit.sourceId);
  }, 180_000);

  it('does the same from an s3:// prefix read with the real SDK from the emulator', async () => {
    // Prepare: the same kind of folder uploaded under a prefix (other keys beside it are not part of the gallery).
    const folder = await photoFolder();
    const s3 = emulator();
    s3.createBucket('photos');
    for (const file of await filesUnder(folder)) {
      await s3.s3.send(new PutObjectCommand({ Bucket: 'photos', Key: `set-1/${file}`, Body: await readFile(path.join(folder, file)) }));
    }
    await s3.s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'other/circle/x.png', Body: await readFile(path.join(folder, (await filesUnder(folder))[0])) }));
    const env = {
      REVERIE_STORE: `file://${await tempDir()}`, REVERIE_AWS_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    };
    const query = path.join(folder, (await filesUnder(folder)).find((f) => f.startsWith('square/'))!);

    // Act
    const result = await endToEnd('s3://photos/set-1', env, query);

    // Assess
    const { during } = assessEndToEnd(result);
    for (const hit of during.results) expect(hit.sourceId).not.toMatch(/^set-1\/|^other\//);
  }, 180_000);
});
