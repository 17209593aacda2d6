import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../core/store/file-store.ts';
import { tempDir } from '../helpers/runtime.ts';

describe('FileStore temporary files', () => {
  it('sweeps what a killed writer left, and keeps what a live writer is writing', async () => {
    // Prepare: an orphan of a writer that no longer runs, and a file in flight of this (live) process.
    const root = await tempDir();
    const tmp = path.join(root, '.tmp');
    await fs.mkdir(tmp, { recursive: true });
    const orphan = path.join(tmp, '4194303-killed-writer');
    const inFlight = path.join(tmp, `${process.pid}-in-flight`);
    await fs.writeFile(orphan, 'half a shard');
    await fs.writeFile(inFlight, 'still writing');

    // Act: a later process's first write
    const store = new FileStore(root);
    await store.put('a/b.json', '{}');

    // Assess
    expect(await fs.readdir(tmp)).toEqual([path.basename(inFlight)]);
    expect(new TextDecoder().decode(await store.get('a/b.json'))).toBe('{}');
  });
});
