import type { Row } from './columns.ts';

/**
 * Re-batches a stream of row batches into batches of at most `size` rows, counting them into `counter`: row
 * groups of a steady size whatever the source parts hold, and a count the export checks against the metadata.
 */
export async function* rebatch<T>(batches: AsyncIterable<readonly T[]>, size: number, counter: { rows: number }): AsyncIterable<T[]> {
  let pending: T[] = [];
  for await (const batch of batches) {
    for (const row of batch) {
      pending.push(row);
      counter.rows++;
      if (pending.length >= size) yield pending.splice(0);
    }
  }
  if (pending.length > 0) yield pending;
}

/**
 * Takes batches from a shared iterator until `limit` rows are taken, splitting the batch that crosses it and
 * keeping the rest for the next call: how one stream of rows is cut into Hugging Face shards.
 */
export function shardTaker(source: AsyncIterator<Row[]>): (limit: number) => AsyncIterable<Row[]> {
  let carry: Row[] = [];
  return async function* take(limit: number) {
    let taken = 0;
    while (taken < limit) {
      if (carry.length === 0) {
        const next = await source.next();
        if (next.done) return;
        carry = next.value;
      }
      const slice = carry.splice(0, limit - taken);
      taken += slice.length;
      yield slice;
    }
  };
}

/** JSON Lines bytes of a stream of batches. */
export async function* jsonlStream(batches: AsyncIterable<readonly unknown[]>): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const batch of batches) {
    if (batch.length > 0) yield encoder.encode(`${batch.map((r) => JSON.stringify(r)).join('\n')}\n`);
  }
}
