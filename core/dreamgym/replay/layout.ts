import { InvalidInputError } from '../../errors.ts';

const ROOT = 'dreamgym/replay';
const ID = /^[A-Za-z0-9][A-Za-z0-9._=+@-]{0,199}$/;

/** Names of the objects a replay buffer keeps in the store. */
export const ReplayObject = {
  info: 'buffer.json',
  transitions: 'transitions.jsonl',
  embeddings: 'embeddings.npy',
} as const;

/** `dreamgym/replay/<bufferId>`: the buffer's descriptor and its `shards/` live under it. */
export function replayBufferPrefix(bufferId: string): string {
  return `${ROOT}/${checkId('replay buffer id', bufferId)}`;
}

export function replayShardsPrefix(bufferId: string): string {
  return `${replayBufferPrefix(bufferId)}/shards/`;
}

/** `dreamgym/replay/<bufferId>/shards/<shardId>`: one committed batch of transitions and their embeddings. */
export function replayShardPrefix(bufferId: string, shardId: string): string {
  return `${replayShardsPrefix(bufferId)}${checkId('replay shard id', shardId)}`;
}

function checkId(what: string, id: string): string {
  if (!ID.test(id)) {
    throw new InvalidInputError(`${what} "${id}" must start with a letter or digit and use only letters, digits, . _ = + @ -`);
  }
  return id;
}
