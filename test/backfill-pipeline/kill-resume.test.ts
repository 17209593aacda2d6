import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { galleryKeys } from '../../core/backfill/gallery/keys.ts';
import { BackfillSummarySchema } from '../../core/backfill/pipeline/finalise.ts';
import { readManifest } from '../../core/store/batch.ts';
import { FileStore } from '../../core/store/file-store.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { countingStore, ingestSmall, runBackfill } from './helpers.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/reverie.js');
const SHARDS = 40;

function committedShards(root: string): string[] {
  const dir = path.join(root, galleryKeys('mn').shards('new'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((shard) => existsSync(path.join(dir, shard, '_manifest.json'))).sort();
}

describe('a backfill killed mid-way', () => {
  it('finishes when run again, without re-embedding committed shards and without duplicates', async () => {
    // Prepare: 40 shards, ψ refitted after every shard, so the run lasts long enough to be killed in the middle.
    const base = await testRuntime();
    await ingestSmall(base.store, { maxItems: 2000, shardSize: 50, models: { psi: 'online' } });
    const child = spawn(process.execPath, [BIN, 'backfill', 'run', 'mn', '--refit-every', '1', '--max-concurrency', '1', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REVERIE_STORE: `file://${base.root}` },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));

    // Act
    while (committedShards(base.root).length < 5 && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    const signal = await exited;
    const survivors = committedShards(base.root);
    const before = new Map(await Promise.all(survivors.map(async (s) => [s, await base.store.get(`${galleryKeys('mn').shards('new')}${s}/_manifest.json`)] as const)));
    const counting = countingStore(new FileStore(base.root));
    const rerun = await testRuntime({ store: counting });
    const done = await runBackfill(rerun, { gallery: 'mn', maxConcurrency: 4 });

    // Assess
    expect(signal).toBe('SIGKILL');
    expect(survivors.length).toBeGreaterThanOrEqual(5);
    expect(survivors.length).toBeLessThan(SHARDS);
    const summary = BackfillSummarySchema.parse(done.output);
    expect(summary).toMatchObject({ status: 'complete', shards: { total: SHARDS, backfilled: SHARDS } });
    expect(summary.run.shardsEmbedded).toBe(SHARDS - survivors.length);
    expect(counting.reads.filter((key) => key.endsWith('/pixels.npy'))).toHaveLength(SHARDS - survivors.length);
    expect(committedShards(base.root)).toHaveLength(SHARDS);
    for (const [shard, manifest] of before) {
      expect(await base.store.get(`${galleryKeys('mn').shards('new')}${shard}/_manifest.json`)).toEqual(manifest);
    }
    const runs = new Set<unknown>();
    for (let s = 0; s < SHARDS; s++) runs.add((await readManifest(base.store, galleryKeys('mn').shard('new', s)))?.meta.executionId);
    expect(runs.size).toBe(2);
  });
});
