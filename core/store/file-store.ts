import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { NotFoundError } from '../errors.ts';
import { assertKey, assertPrefix } from './keys.ts';
import type { Body, ListOptions, ObjectInfo, Store } from './store.ts';
import { processIsAlive } from '../process-alive.ts';

/** The store's own folder for writes in progress, never listed. */
export const TEMP_DIR = '.tmp';
/** A temporary file this old is an orphan whatever its name says (a writer keeps touching its file while it writes). */
const STALE_MS = 24 * 3600_000;

/**
 * A store in a local folder. Writes go to a temporary file in the same file system and are renamed into place,
 * so a crash never leaves a half-written object under its key.
 *
 * @example
 * const store = new FileStore('/data/.reverie');
 * await store.put('runs/r1/summary.json', JSON.stringify({ ok: true }));
 */
export class FileStore implements Store {
  readonly uri: string;
  readonly root: string;
  private swept?: Promise<void>;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.uri = `file://${this.root}`;
  }

  async put(key: string, body: Body): Promise<void> {
    const temp = await this.tempFile();
    await fs.writeFile(temp, body);
    await this.moveIntoPlace(temp, this.pathOf(key));
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const temp = await this.tempFile();
    try {
      await pipeline(Readable.from(body), createWriteStream(temp));
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await this.moveIntoPlace(temp, this.pathOf(key));
  }

  async putIfAbsent(key: string, body: Body): Promise<boolean> {
    const target = this.pathOf(key);
    const temp = await this.tempFile();
    await fs.writeFile(temp, body);
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      // link() fails with EEXIST instead of replacing, which makes create-only atomic.
      await fs.link(temp, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await fs.rm(temp, { force: true });
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      // A Buffer is already a Uint8Array; viewing it avoids copying large shards.
      const buffer = await fs.readFile(this.pathOf(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw this.mapMissing(error, key);
    }
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const file = this.pathOf(key);
    try {
      await fs.access(file);
    } catch (error) {
      throw this.mapMissing(error, key);
    }
    return createReadStream(file);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const stat = await fs.stat(this.pathOf(key));
      return stat.isFile() ? { key, size: stat.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    assertPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash === -1 ? '' : prefix.slice(0, slash);
    yield* this.walk(baseKey, prefix, options.startAfter);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  /**
   * Yields in key order folder by folder (a folder sorts as `name/`), so a consumer that stops early, such as one
   * page of a paged scan, reads only the folders it reaches.
   */
  private async *walk(dirKey: string, prefix: string, startAfter: string | undefined): AsyncIterable<ObjectInfo> {
    const dir = dirKey === '' ? this.root : path.join(this.root, dirKey);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    const sorted = entries
      .filter((entry) => !(dirKey === '' && entry.name === TEMP_DIR) && (entry.isDirectory() || entry.isFile()))
      .map((entry) => ({ entry, key: dirKey === '' ? entry.name : `${dirKey}/${entry.name}` }))
      .map((item) => ({ ...item, order: item.entry.isDirectory() ? `${item.key}/` : item.key }))
      .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    for (const { entry, key } of sorted) {
      if (entry.isDirectory()) {
        if (startAfter !== undefined && before(`${key}/`, startAfter)) continue;
        if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || prefix === '') yield* this.walk(key, prefix, startAfter);
      } else if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) {
        const stat = await fs.stat(path.join(dir, entry.name));
        yield { key, size: stat.size };
      }
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, assertKey(key));
  }

  private async tempFile(): Promise<string> {
    const dir = path.join(this.root, TEMP_DIR);
    await fs.mkdir(dir, { recursive: true });
    this.swept ??= sweepOrphans(dir);
    await this.swept;
    // The writer's pid in the name lets a later process tell an orphan of a killed writer from a write in flight.
    return path.join(dir, `${process.pid}-${randomUUID()}`);
  }

  private async moveIntoPlace(temp: string, target: string): Promise<void> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(temp, target);
  }

  private mapMissing(error: unknown, key: string): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return new NotFoundError(`no object "${key}" in ${this.uri}`, { cause: error });
    return error;
  }
}

/** Whether every key under the folder `dirPrefix` (ending in `/`) sorts at or before `startAfter`. */
function before(dirPrefix: string, startAfter: string): boolean {
  return dirPrefix < startAfter && !startAfter.startsWith(dirPrefix);
}

/**
 * Removes temporary files left by writers that died mid-write (kill -9): those whose writer process no longer runs
 * on this host, and any older than a day. Runs once per store per process, before its first write.
 */
async function sweepOrphans(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  await Promise.all(names.map(async (name) => {
    const file = path.join(dir, name);
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    try {
      const stale = now - (await fs.stat(file)).mtimeMs > STALE_MS;
      if (stale || (pid > 0 && pid !== process.pid && !processIsAlive(pid))) await fs.rm(file, { force: true });
    } catch {
      // Gone already: another process swept it, or its writer renamed it into place.
    }
  }));
}
