import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { addStreamItems } from '../../core/backfill/gallery/changes/add-stream-items.ts';
import { readChangeLog } from '../../core/backfill/gallery/changes/change-log.ts';
import { readGalleryContents } from '../../core/backfill/gallery/changes/gallery-contents.ts';
import { galleryMembership } from '../../core/backfill/gallery/changes/membership.ts';
import { readGalleryRecord } from '../../core/backfill/gallery/gallery-record.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { ingestPhotoGallery } from '../../core/backfill/gallery/stream-ingest.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/reverie.js');
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const SHARD = 4;
const ADDED = 60;

function logEntries(root: string): number {
  const dir = path.join(root, galleryKeys('ph').changeLog);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0;
}

describe('a stream add killed with SIGKILL and run again', () => {
  it('adds every photo exactly once: nothing twice, nothing lost', async () => {
    // Prepare: a photo gallery of 12 items in shards of 4; 60 new photos (15 chunks) to add from another folder.
    const runtime = await testRuntime();
    const { store, root } = runtime;
    const dir = await tempDir('photos-');
    await writePhotoFolder(dir, { count: 12, seed: 2 });
    await ingestPhotoGallery(store, { dataset: dir, galleryId: 'ph', oldCard: path.join(MODELS, 'old.card.json'), newCard: path.join(MODELS, 'new.card.json'), shardSize: SHARD, queryFraction: 0 });
    const extra = await tempDir('extra-');
    const written = await writePhotoFolder(extra, { count: ADDED, seed: 6 });
    for (const p of written) await rename(path.join(extra, p.sourceId), path.join(extra, p.sourceId.replace('/', '/new-')));
    const newIds = (await readdir(extra, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(extra, path.join(e.parentPath, e.name))).sort();

    // Act: the CLI adds in a child process, killed once a few chunks are in the change log; then the add runs again.
    const child = spawn(process.execPath, [BIN, 'backfill', 'add', 'ph', '--dataset', extra, '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REVERIE_STORE: `file://${root}` }, stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
    while (logEntries(root) < 2 && child.exitCode === null) await sleep(2);
    child.kill('SIGKILL');
    const signal = await exited;
    const atKill = logEntries(root);
    const again = await addStreamItems(store, 'ph', extra);

    // Assess: killed mid-way; the re-run added exactly the rest; every new photo is in the gallery once.
    expect(signal).toBe('SIGKILL');
    expect(atKill).toBeGreaterThanOrEqual(2);
    expect(atKill).toBeLessThan(ADDED / SHARD);
    expect(again.alreadyPresent).toBe(atKill * SHARD);
    expect(again.added).toBe(ADDED - atKill * SHARD);
    const record = await readGalleryRecord(store, 'ph');
    const membership = galleryMembership(record, await readChangeLog(store, 'ph'));
    const { items } = await readGalleryContents(store, record, membership);
    const addedIds = items.sourceIds.slice(record.items);
    expect([...addedIds].sort()).toEqual(newIds);
    expect((await readGalleryStatus(store, 'ph')).items.total).toBe(12 + ADDED);
  }, 180_000);
});
