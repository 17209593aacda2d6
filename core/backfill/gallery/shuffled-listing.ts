import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readImageSource, type ReadSourceOptions } from '../sources/image-source.ts';

/** One listed source object, not read: where the seeded order puts it (`rank`), its id, label and ETag. */
export interface ListedItem {
  readonly rank: number;
  readonly sourceId: string;
  readonly label?: string;
  readonly etag?: string;
}

export interface ShuffledListingOptions extends ReadSourceOptions {
  /** Seed of the order. The same seed and source give the same order, whatever order the source lists in. */
  readonly seed: number;
}

/** Buckets the listing is spilled into: the largest bucket is what pass two holds (≈ items / BUCKETS). */
const BUCKETS = 1024;
/** Listed items buffered before the buckets are appended to disk: what pass one holds. */
const FLUSH_EVERY = 16_384;

/**
 * The rank of a source id in the seeded order: the first 48 bits of SHA-256(seed, id), uniform in [0, 2⁴⁸), so
 * sorting by rank is a seeded random permutation that needs no count and no position of anything else.
 */
export function orderRank(seed: number, sourceId: string): number {
  const digest = createHash('sha256').update(`${seed}\n${sourceId}`).digest();
  return digest.readUIntBE(0, 6);
}

/**
 * Lists a folder or `s3://` prefix once and yields its items in pages in a seeded random order (ascending rank, ties
 * by id), so shards dealt in that order mix the source's classes instead of following its key order. Memory stays
 * flat: pass one lists in pages and appends (rank, id, label, ETag) lines to one of 1,024 files of a temporary
 * folder by rank range (`FLUSH_EVERY` lines buffered at most); pass two reads one file at a time, sorts it and
 * yields it, so only one bucket (≈ items / 1,024) is held. The folder is removed when the listing ends or is left.
 *
 * @example
 * for await (const page of shuffledListing('s3://photos/2026', { seed: 1, openStore })) page[0].sourceId;
 */
export async function* shuffledListing(source: string, options: ShuffledListingOptions): AsyncIterable<ListedItem[]> {
  const pageSize = options.pageSize ?? 256;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'reverie-listing-'));
  try {
    const used = await spillListing(source, options, dir);
    let page: ListedItem[] = [];
    for (const bucket of used) {
      const lines = (await readFile(bucketFile(dir, bucket), 'utf8')).split('\n').filter((l) => l.length > 0);
      const items = lines.map(parseLine).sort((a, b) => a.rank - b.rank || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
      for (const item of items) {
        page.push(item);
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
    }
    if (page.length > 0) yield page;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pass one: lists the source and appends each item to its rank bucket; returns the non-empty buckets, ascending. */
async function spillListing(source: string, options: ShuffledListingOptions, dir: string): Promise<number[]> {
  const used = new Set<number>();
  let pending = new Map<number, string[]>();
  let buffered = 0;
  const flush = async () => {
    await Promise.all([...pending].map(([bucket, lines]) => appendFile(bucketFile(dir, bucket), `${lines.join('\n')}\n`)));
    pending = new Map();
    buffered = 0;
  };
  // Any listing order will do: the ranks decide the order, so a folder is walked without sorting its directories.
  for await (const page of readImageSource(source, { pageSize: options.pageSize, openStore: options.openStore, ordered: false })) {
    for (const item of page) {
      const rank = orderRank(options.seed, item.sourceId);
      const bucket = Math.floor((rank / 2 ** 48) * BUCKETS);
      used.add(bucket);
      let lines = pending.get(bucket);
      if (!lines) pending.set(bucket, (lines = []));
      lines.push(JSON.stringify([rank, item.sourceId, item.label ?? null, item.etag ?? null]));
      if (++buffered >= FLUSH_EVERY) await flush();
    }
  }
  await flush();
  return [...used].sort((a, b) => a - b);
}

function bucketFile(dir: string, bucket: number): string {
  return path.join(dir, `${String(bucket).padStart(4, '0')}.jsonl`);
}

function parseLine(line: string): ListedItem {
  const [rank, sourceId, label, etag] = JSON.parse(line) as [number, string, string | null, string | null];
  return { rank, sourceId, ...(label === null ? {} : { label }), ...(etag === null ? {} : { etag }) };
}
