import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models/photos');

function json(step: CliResult, name: string) {
  expect(step.code, `${name}: ${step.stderr}`).toBe(0);
  return JSON.parse(step.stdout);
}

/** The field names of an evaluation, and of each of its modes. */
function fieldSet(report: { modes: Record<string, object> }) {
  return { top: Object.keys(report).sort(), modes: Object.fromEntries(Object.entries(report.modes).map(([m, v]) => [m, Object.keys(v).sort()])) };
}

async function deleteIds(env: Record<string, string>, gallery: string, ids: string[]) {
  const file = path.join(await tempDir(), 'ids.txt');
  await writeFile(file, `${ids.join('\n')}\n`);
  return json(await runCli(['backfill', 'delete', gallery, '--ids', file, '--json'], env), 'delete');
}

describe('one gallery evaluation for both kinds of gallery', () => {
  it('gives a stored-image gallery and a streamed photo gallery, mid-backfill and after deletes, the dataset eval\'s fields', async () => {
    // Prepare: the dataset eval's JSON; an MNIST gallery (decoded pixels) and a photo gallery (source references),
    // each half backfilled with items deleted.
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const dataset = json(await runCli(['backfill', 'eval', '--dataset', 'mnist', '--max-queries', '20', '--json'], env), 'dataset eval');
    json(await runCli(['backfill', 'ingest', '--dataset', 'mnist', '--gallery', 'mn', '--max-items', '600', '--max-queries', '30', '--shard-size', '200', '--json'], env), 'ingest mnist');
    json(await runCli(['backfill', 'run', 'mn', '--max-shards', '1', '--json'], env), 'run mnist');
    await deleteIds(env, 'mn', ['g-000001', 'g-000450']);
    const photos = await tempDir('photos-');
    await writePhotoFolder(photos, { count: 40, seed: 4, minSide: 32, maxSide: 96 });
    const cards = ['--old-model', path.join(MODELS, 'old.card.json'), '--new-model', path.join(MODELS, 'new.card.json')];
    json(await runCli(['backfill', 'ingest', '--dataset', photos, '--gallery', 'ph', ...cards, '--shard-size', '10', '--query-fraction', '0.25', '--json'], env), 'ingest photos');
    json(await runCli(['backfill', 'run', 'ph', '--max-shards', '1', '--json'], env), 'run photos');
    await deleteIds(env, 'ph', ['g-000000']);

    // Act
    const stored = json(await runCli(['backfill', 'eval', '--gallery', 'mn', '--json'], env), 'eval mnist gallery');
    const streamed = json(await runCli(['backfill', 'eval', '--gallery', 'ph', '--json'], env), 'eval photo gallery');

    // Assess: the same fields, mode by mode; numbers that follow from the gallery as it stands.
    expect(fieldSet(stored)).toEqual(fieldSet(dataset));
    expect(fieldSet(streamed).top).toEqual(fieldSet(dataset).top);
    for (const mode of Object.values(fieldSet(streamed).modes)) expect(mode).toEqual(fieldSet(dataset).modes['rt-merge']);
    expect(stored).toMatchObject({ dataset: 'mn', gallerySize: 598, queryCount: 30 });
    expect(streamed.gallerySize).toBeGreaterThan(20);
    for (const report of [stored, streamed]) {
      expect(Object.keys(report.modes)).toEqual(expect.arrayContaining(['old', 'rank-merge', 'rt-merge']));
      expect(report.modes['rank-merge'].curve[0][1]).toBeCloseTo(report.mAP.old, 6);
      expect(report.modes['rt-merge'].curve.at(-1)[1]).toBeCloseTo(report.mAP.new, 6);
      expect(Object.keys(report.modes['rt-merge'].queryFlipRate).sort()).toEqual(['ap', 'top1']);
    }
  }, 240_000);
});
