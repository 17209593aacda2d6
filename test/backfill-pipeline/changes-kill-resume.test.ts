import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { addItemsFromSource } from '../../core/backfill/gallery/changes/add-from-source.ts';
import { readChangeLog } from '../../core/backfill/gallery/changes/change-log.ts';
import { deleteGalleryItems } from '../../core/backfill/gallery/changes/delete-items.ts';
import { readGalleryStatus } from '../../core/backfill/gallery/gallery-status.ts';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { cachedGallery, clearGalleryCache } from '../../core/backfill/gallery/search/gallery-cache.ts';
import { renderItemPng } from '../../core/backfill/gallery/search/item-png.ts';
import { BackfillSummarySchema } from '../../core/backfill/pipeline/finalise.ts';
import { exactIndexFactory } from '../../core/backfill/search/index/exact-index.ts';
import { SEARCH_MODES } from '../../core/backfill/search/search-mode.ts';
import type { Store } from '../../core/store/store.ts';
import { tempDir, testRuntime } from '../helpers/runtime.ts';
import { mnistPhotos, searchEveryMode, writePhotos } from './changes-helpers.ts';
import { ingestSmall, keys, runBackfill } from './helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/reverie.js');
const SHARDS = 40;
const SIZE = 50;

function committedShards(root: string): number[] {
  const dir = path.join(root, galleryKeys('mn').shards('new'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((s) => existsSync(path.join(dir, s, '_manifest.json'))).map((s) => Number(s.slice(6))).sort((a, b) => a - b);
}

/** The same store, whose create-only writes of change log entries fail (a lost connection) from the `after`-th on. */
function failingLogStore(inner: Store, after: number): Store {
  let seen = 0;
  return Object.assign(Object.create(inner) as Store, {
    uri: inner.uri,
    putIfAbsent: async (key: string, body: Uint8Array | string) => {
      if (key.includes('/changes/log/') && ++seen >= after) throw Object.assign(new Error(`connect ECONNRESET while writing ${key}`), { name: 'TimeoutError' });
      return inner.putIfAbsent(key, body);
    },
  });
}

describe('a gallery changing during a backfill that is killed and resumed', () => {
  it('keeps progress exact, loses and duplicates nothing, and never serves a deleted item', async () => {
    // Prepare: 2,000 items in 40 shards; the backfill runs in a child process, one shard at a time with ψ refits.
    const base = await testRuntime();
    const store = base.store;
    await ingestSmall(store, { maxItems: 2000, shardSize: SIZE, models: { psi: 'online' } });
    const doomed = ['g-000010', 'g-000170', 'g-001500'];
    const doomedImages = await Promise.all(doomed.map(async (id) => Buffer.from(await renderItemPng(store, 'mn', id)).toString('base64')));
    const photos = await mnistPhotos(69_000, 100);
    const child = spawn(process.execPath, [BIN, 'backfill', 'run', 'mn', '--refit-every', '1', '--max-concurrency', '1', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REVERIE_STORE: `file://${base.root}` }, stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));

    // Act: delete and add while the child backfills, kill it, add again with a write that fails half-way, resume.
    while (committedShards(base.root).length < 3 && child.exitCode === null) await sleep(5);
    const deleted = await deleteGalleryItems(store, 'mn', doomed);
    const added = await addItemsFromSource(store, 'mn', await writePhotos(await tempDir(), photos.slice(0, 30)));
    while (committedShards(base.root).length < 8 && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    const signal = await exited;
    const survivors = committedShards(base.root);
    const atKill = await readGalleryStatus(store, 'mn');
    const folder = await writePhotos(await tempDir(), photos.slice(30, 100));
    const failed = await addItemsFromSource(failingLogStore(store, 2), 'mn', folder).catch((error: Error) => error);
    const afterFailure = await readGalleryStatus(store, 'mn');
    const retried = await addItemsFromSource(store, 'mn', folder);
    const done = BackfillSummarySchema.parse((await runBackfill(await testRuntime({ store }), { gallery: 'mn', maxConcurrency: 4 })).output);

    // Assess: the kill came mid-way, and progress at that moment counts exactly what was committed.
    expect(signal).toBe('SIGKILL');
    expect(survivors.length).toBeGreaterThanOrEqual(8);
    expect(survivors.length).toBeLessThan(SHARDS);
    expect(deleted.deleted).toBe(3);
    expect(added).toMatchObject({ added: 30, spaces: ['old', 'new'] });
    const deletedIn = (shards: number[]) => doomed.filter((id) => shards.includes(Math.floor(Number(id.slice(2)) / SIZE))).length;
    expect(atKill.items).toEqual({ total: 2000 + 30 - 3, backfilled: survivors.length * SIZE - deletedIn(survivors) + 30 });
    // The failed add committed its first chunk (50 items) and nothing of the second; run again, it adds the other 20.
    expect(failed).toBeInstanceOf(Error);
    expect(afterFailure.items.total).toBe(2000 + 30 + 50 - 3);
    expect(retried).toMatchObject({ added: 20, alreadyPresent: 50 });
    const batches = (await keys(store, `${galleryKeys('mn').root}/changes/added/`)).filter((k) => k.endsWith('_manifest.json'));
    expect(batches).toHaveLength(3);
    expect((await readChangeLog(store, 'mn')).map((e) => e.kind)).toEqual(['delete', 'add', 'add', 'add']);
    // Resumed: only the missing shards embedded; every live item once in every index.
    expect(done).toMatchObject({ status: 'complete', items: { total: 2097, backfilled: 2097 }, shards: { total: SHARDS, backfilled: SHARDS } });
    expect(done.run.shardsEmbedded).toBe(SHARDS - survivors.length);
    clearGalleryCache();
    const loaded = await cachedGallery(store, 'mn', { vectorIndex: exactIndexFactory, refreshMs: 0 });
    expect(await loaded.indexes.new.size()).toBe(2097);
    expect(await loaded.indexes.oldBackfilled.size()).toBe(2097);
    expect(await loaded.indexes.oldRemaining.size()).toBe(0);
    expect(new Set(loaded.items.sourceIds.filter((_, i) => !loaded.membership.deleted[i])).size).toBe(2097);
    for (const image of doomedImages) {
      const results = await searchEveryMode(store, exactIndexFactory, { image }, 50);
      for (const mode of SEARCH_MODES) expect(results[mode].hits.map((h) => h.id).filter((id) => doomed.includes(id)), mode).toEqual([]);
    }
    const last = photos[99];
    const found = await searchEveryMode(store, exactIndexFactory, { itemId: last.sourceId }, 5);
    for (const mode of SEARCH_MODES) expect(found[mode].hits[0]).toMatchObject({ sourceId: last.sourceId, label: last.label });
  }, 180_000);
});
