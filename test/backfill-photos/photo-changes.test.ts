import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isQuery } from '../../core/backfill/gallery/stream-ingest.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const emulator = useEmulator();
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const cards = ['--old-model', path.join(MODELS, 'old.card.json'), '--new-model', path.join(MODELS, 'new.card.json')];
const QUERY_FRACTION = 0.2;

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** A folder of generated photos whose file names start with `prefix` (so they are new source ids). */
async function photosNamed(prefix: string, count: number, seed: number): Promise<string> {
  const dir = await tempDir('photos-');
  await writePhotoFolder(dir, { count, seed });
  for (const file of await filesUnder(dir)) await rename(path.join(dir, file), path.join(dir, path.dirname(file), `${prefix}${path.basename(file)}`));
  return dir;
}

function json(step: CliResult, name: string) {
  expect(step.stderr.replace(/.*\r/g, ''), name).not.toMatch(/Error|at .*\.ts:\d+/);
  expect(step.code, `${name}: ${step.stderr}`).toBe(0);
  return JSON.parse(step.stdout);
}

/**
 * ingest → backfill 2 shards → add → delete → search in every mode → finish → add after the old space retired →
 * delete one of those → eval, through the real CLI; `sources` name the ingest's and the two adds' datasets.
 */
async function changesDuringBackfill(sources: { ingest: string; add: string; late: string }, env: Record<string, string>, files: { ingest: string[]; add: string[]; late: string[] }, queryImage: string) {
  const ingest = json(await runCli(['backfill', 'ingest', '--dataset', sources.ingest, '--gallery', 'ph', ...cards, '--shard-size', '10', '--query-fraction', String(QUERY_FRACTION), '--json'], env), 'ingest');
  json(await runCli(['backfill', 'run', 'ph', '--max-shards', '2', '--json'], env), 'run half');
  const added = json(await runCli(['backfill', 'add', 'ph', '--dataset', sources.add, '--json'], env), 'add');
  const galleryIds = files.ingest.filter((f) => !isQuery(f, QUERY_FRACTION));
  const doomed = [galleryIds[0], galleryIds[galleryIds.length - 1], files.add[0]];
  const idsFile = path.join(await tempDir(), 'ids.txt');
  await writeFile(idsFile, `${doomed.join('\n')}\n`);
  const deleted = json(await runCli(['backfill', 'delete', 'ph', '--ids', idsFile, '--json'], env), 'delete');
  const searches: Record<string, { results: { sourceId: string }[]; backfilledFraction: number }> = {};
  for (const mode of ['old', 'rank-merge', 'rt-merge']) {
    searches[mode] = json(await runCli(['backfill', 'search', 'ph', '--image', queryImage, '--mode', mode, '--k', '1000', '--json'], env), `search ${mode}`);
  }
  const byDeletedItem = await runCli(['backfill', 'search', 'ph', '--item', doomed[0], '--mode', 'rt-merge', '--json'], env);
  json(await runCli(['backfill', 'run', 'ph', '--json'], env), 'run rest');
  const late = json(await runCli(['backfill', 'add', 'ph', '--dataset', sources.late, '--json'], env), 'late add');
  await writeFile(idsFile, `${files.late[0]}\n`);
  json(await runCli(['backfill', 'delete', 'ph', '--ids', idsFile, '--json'], env), 'late delete');
  const after = json(await runCli(['backfill', 'search', 'ph', '--image', queryImage, '--mode', 'rt-merge', '--k', '1000', '--json'], env), 'search after');
  const evaluation = json(await runCli(['backfill', 'eval', '--gallery', 'ph', '--json'], env), 'eval');
  return { ingest, added, deleted, searches, byDeletedItem, late, after, evaluation, galleryIds, doomed };
}

function assessChanges(result: Awaited<ReturnType<typeof changesDuringBackfill>>, files: { ingest: string[]; add: string[]; late: string[] }) {
  const { ingest, added, deleted, searches, byDeletedItem, late, after, evaluation, galleryIds, doomed } = result;
  expect(ingest.items).toBe(galleryIds.length);
  expect(added).toMatchObject({ gallery: 'ph', added: files.add.length, alreadyPresent: 0, spaces: ['old', 'new'] });
  expect(deleted).toMatchObject({ deleted: 3, alreadyDeleted: 0 });
  // Every live item, ingested or added, and no deleted one, in every mode, mid-backfill.
  const live = [...galleryIds, ...files.add].filter((f) => !doomed.includes(f)).sort();
  for (const [mode, search] of Object.entries(searches)) {
    expect(search.results.map((r) => r.sourceId).sort(), mode).toEqual(live);
    expect(search.backfilledFraction, mode).toBeGreaterThan(0);
    expect(search.backfilledFraction, mode).toBeLessThan(1);
  }
  // The added items were embedded with the new model too: they count as backfilled beside 2 shards (18–20 live items).
  const backfilled = Math.round(searches['rt-merge'].backfilledFraction * live.length);
  expect(backfilled).toBeGreaterThanOrEqual(18 + files.add.length - 1);
  expect(backfilled).toBeLessThanOrEqual(20 + files.add.length - 1);
  expect(byDeletedItem.code).toBe(2);
  expect(byDeletedItem.stderr).toMatch(/no item|deleted/);
  expect(late).toMatchObject({ added: files.late.length, spaces: ['new'] });
  const liveAfter = [...live, ...files.late.slice(1)].sort();
  expect(after.results.map((r: { sourceId: string }) => r.sourceId).sort()).toEqual(liveAfter);
  expect(after.backfilledFraction).toBe(1);
  // The eval ranks the gallery as it is now: deletions out, both adds in (the late one embedded with the old card from its source).
  expect(evaluation).toMatchObject({ dataset: 'ph', gallerySize: liveAfter.length });
  expect(evaluation.mAP.old).toBeGreaterThan(0);
  expect(evaluation.mAP.new).toBeGreaterThan(0);
  expect(evaluation.modes['rt-merge'].curve.at(-1)[1]).toBeCloseTo(evaluation.mAP.new, 6);
}

describe('a photo gallery that changes during the backfill', () => {
  it('adds a folder of photos (embedded with both cards, stored as source refs) and deletes items mid-backfill; search and eval follow', async () => {
    // Prepare
    const sources = { ingest: await photosNamed('', 48, 21), add: await photosNamed('new-', 12, 31), late: await photosNamed('late-', 4, 41) };
    const files = { ingest: await filesUnder(sources.ingest), add: await filesUnder(sources.add), late: await filesUnder(sources.late) };
    const store = await tempDir();
    const env = { REVERIE_STORE: `file://${store}` };

    // Act
    const result = await changesDuringBackfill(sources, env, files, path.join(sources.add, files.add[1]));

    // Assess
    assessChanges(result, files);
    const addedObjects = (await filesUnder(store)).filter((f) => f.includes('/ph/changes/added/'));
    expect(addedObjects.length).toBeGreaterThan(0);
    expect(addedObjects.some((f) => f.endsWith('items.json'))).toBe(true);
    expect(addedObjects.some((f) => f.includes('pixels'))).toBe(false);
  }, 240_000);

  it('does the same from s3:// prefixes read with the real SDK from the emulator', async () => {
    // Prepare
    const folders = { ingest: await photosNamed('', 48, 21), add: await photosNamed('new-', 12, 31), late: await photosNamed('late-', 4, 41) };
    const files = { ingest: await filesUnder(folders.ingest), add: await filesUnder(folders.add), late: await filesUnder(folders.late) };
    const s3 = emulator();
    s3.createBucket('photos');
    for (const [part, folder] of Object.entries(folders)) {
      for (const file of await filesUnder(folder)) await s3.s3.send(new PutObjectCommand({ Bucket: 'photos', Key: `${part}/${file}`, Body: await readFile(path.join(folder, file)) }));
    }
    const env = {
      REVERIE_STORE: `file://${await tempDir()}`, REVERIE_AWS_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    };
    const sources = { ingest: 's3://photos/ingest', add: 's3://photos/add', late: 's3://photos/late' };

    // Act
    const result = await changesDuringBackfill(sources, env, files, path.join(folders.add, files.add[1]));

    // Assess
    assessChanges(result, files);
  }, 240_000);
});
