import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { runCli } from '../helpers/cli.ts';
import { formatStatus } from '../../cli/commands/backfill/format.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos, writePhotos } from './changes-helpers.ts';
import { ingestSmall, runBackfill } from './helpers.ts';

const emulator = useEmulator();
const AWS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

describe('reverie backfill add and delete', () => {
  it('adds a folder and an s3:// prefix and deletes from an ids file during a backfill, in JSON, and refuses bad input with exit 2', async () => {
    // Prepare: a 600-item gallery, one shard of three backfilled; 10 new photos in a folder, 10 under an S3 prefix.
    const runtime = await testRuntime();
    const vars = { REVERIE_STORE: `file://${runtime.root}`, REVERIE_AWS_ENDPOINT: emulator().endpoint, ...AWS };
    await ingestSmall(runtime.store, { galleryId: 'digits', maxItems: 600, maxQueries: 20, shardSize: 200 });
    await runBackfill(runtime, { gallery: 'digits', maxShards: 1 });
    const photos = await mnistPhotos(69_000, 20);
    const folder = await writePhotos(await tempDir(), photos.slice(0, 10));
    emulator().createBucket('photos');
    for (const p of photos.slice(10)) {
      await emulator().s3.send(new PutObjectCommand({ Bucket: 'photos', Key: `incoming/${p.sourceId}`, Body: p.png }));
    }
    const idsFile = path.join(await tempDir(), 'ids.txt');
    await writeFile(idsFile, `${photos[0].sourceId}\n\n  g-000450 \r\n${photos[12].sourceId}\n`);
    const unknownFile = path.join(await tempDir(), 'unknown.txt');
    await writeFile(unknownFile, 'g-000001\nnot/there.png\n');

    // Act
    const fromFolder = await runCli(['backfill', 'add', 'digits', '--dataset', folder, '--json'], vars);
    const fromS3 = await runCli(['backfill', 'add', 'digits', '--dataset', 's3://photos/incoming', '--json'], vars);
    const removed = await runCli(['backfill', 'delete', 'digits', '--ids', idsFile, '--json'], vars);
    const unknown = await runCli(['backfill', 'delete', 'digits', '--ids', unknownFile], vars);
    const missingFile = await runCli(['backfill', 'delete', 'digits', '--ids', '/no/such/file'], vars);
    const noDataset = await runCli(['backfill', 'add', 'digits'], vars);
    const status = await readGalleryStatus(runtime.store, 'digits');
    const search = await searchGallery(runtime.store, 'digits', { itemId: photos[15].sourceId, mode: 'naive', k: 3 });

    // Assess
    expect(fromFolder.code, fromFolder.stderr).toBe(0);
    expect(JSON.parse(fromFolder.stdout)).toMatchObject({ gallery: 'digits', added: 10, spaces: ['old', 'new'], changes: [{ seq: 0, firstItemId: 'g-000600', lastItemId: 'g-000609' }] });
    expect(fromS3.code, fromS3.stderr).toBe(0);
    expect(JSON.parse(fromS3.stdout)).toMatchObject({ added: 10, changes: [{ seq: 1, firstItemId: 'g-000610' }] });
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ deleted: 3, alreadyDeleted: 0, seq: 2 });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no item "not\/there\.png"; nothing was deleted/);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/--ids \/no\/such\/file could not be read/);
    expect(noDataset.code).toBe(2);
    expect(noDataset.stderr).toMatch(/--dataset is required/);
    for (const r of [unknown, missingFile, noDataset]) expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(status).toMatchObject({ items: { total: 617, backfilled: 200 + 18 }, changes: { added: 20, deleted: 3, entries: 3 } });
    expect(search.hits[0]).toMatchObject({ sourceId: photos[15].sourceId, label: photos[15].label });
    expect(formatStatus(status).join('\n')).toMatch(/changes since ingest: 20 added, 3 deleted/);
  }, 240_000);
});
