import { DataCorruptError, InvalidInputError } from '../../errors.ts';
import { commitBatch, readBatchObject, readManifest } from '../../store/batch.ts';
import { decodeNpy, encodeNpy } from '../../store/npy.ts';
import type { Store } from '../../store/store.ts';
import type { ReplayBufferInfo } from './buffer-info.ts';
import { ReplayObject, replayShardPrefix, replayShardsPrefix } from './layout.ts';
import { StoredTransitionSchema, type StoredTransition } from './stored-transition.ts';

export interface ReplayShard {
  readonly shardId: string;
  readonly records: readonly StoredTransition[];
  /** Row-major float32 matrix, one unit-length row per record. */
  readonly vectors: Float32Array;
}

const MANIFEST_SUFFIX = '/_manifest.json';

/**
 * Commits one shard: the records as JSONL and their embeddings as an `[n, dimension]` float32 `.npy`, then the
 * manifest. Returns false, writing nothing, when the shard was committed before (a retried append).
 */
export async function writeReplayShard(store: Store, info: ReplayBufferInfo, shard: ReplayShard): Promise<boolean> {
  const prefix = replayShardPrefix(info.id, shard.shardId);
  if (await readManifest(store, prefix)) return false;
  const { dimension, name } = info.embedder;
  const body = shard.records.map((record) => JSON.stringify(record)).join('\n') + '\n';
  await commitBatch(store, prefix, [
    { name: ReplayObject.transitions, body },
    { name: ReplayObject.embeddings, body: encodeNpy(shard.vectors, [shard.records.length, dimension]) },
  ], { transitions: shard.records.length, embedder: name, dimension });
  return true;
}

/** Ids of the committed shards of a buffer, in key order (the buffer's canonical order). */
export async function listReplayShards(store: Store, bufferId: string): Promise<string[]> {
  const root = replayShardsPrefix(bufferId);
  const ids: string[] = [];
  for await (const object of store.list(root)) {
    const rest = object.key.slice(root.length);
    if (rest.endsWith(MANIFEST_SUFFIX) && !rest.slice(0, -MANIFEST_SUFFIX.length).includes('/')) {
      ids.push(rest.slice(0, -MANIFEST_SUFFIX.length));
    }
  }
  return ids.sort();
}

/**
 * Reads a committed shard and checks it against its manifest and the buffer's embedder; any problem (checksum,
 * a line that is not a transition, a matrix of the wrong shape) is an InvalidInputError naming the shard.
 */
export async function readReplayShard(store: Store, info: ReplayBufferInfo, shardId: string): Promise<ReplayShard> {
  const prefix = replayShardPrefix(info.id, shardId);
  const where = `replay buffer "${info.id}" shard "${shardId}" (${prefix})`;
  const fail = (why: string, cause?: unknown): never => {
    throw new DataCorruptError(`${where} is corrupt: ${why}`, { cause, details: { key: prefix, bufferId: info.id, shardId } });
  };
  try {
    const manifest = await readManifest(store, prefix);
    if (!manifest) return fail('it has no manifest (not committed)');
    const text = new TextDecoder().decode(await readBatchObject(store, manifest, ReplayObject.transitions));
    const records = parseShardLines(text, fail);
    const { data, shape } = decodeNpy(await readBatchObject(store, manifest, ReplayObject.embeddings), `${prefix}/${ReplayObject.embeddings}`);
    const { dimension } = info.embedder;
    if (shape.length !== 2 || shape[0] !== records.length || shape[1] !== dimension) {
      fail(`embeddings have shape [${shape.join(', ')}], expected [${records.length}, ${dimension}]`);
    }
    return { shardId, records, vectors: data };
  } catch (error) {
    if (error instanceof DataCorruptError && error.message.startsWith(where)) throw error;
    return fail((error as Error).message, error);
  }
}

function parseShardLines(text: string, fail: (why: string) => never): StoredTransition[] {
  const records: StoredTransition[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch (error) {
      fail(`${ReplayObject.transitions} line ${i + 1} is not JSON (${(error as Error).message})`);
    }
    const parsed = StoredTransitionSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(`${ReplayObject.transitions} line ${i + 1}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
    }
    records.push(parsed.data as StoredTransition);
  }
  return records;
}
