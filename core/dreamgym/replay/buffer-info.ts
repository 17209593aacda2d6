import { z } from 'zod';
import { ConflictError } from '../../errors.ts';
import { getJsonIfExists } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { ReplayObject, replayBufferPrefix } from './layout.ts';

/** `buffer.json`: which embedder made the buffer's vectors. Written once, create-only, with the first shard. */
export const ReplayBufferInfoSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  embedder: z.object({ name: z.string(), dimension: z.number().int().positive() }),
  createdAt: z.string(),
});
export type ReplayBufferInfo = z.infer<typeof ReplayBufferInfoSchema>;

export interface EmbedderIdentity {
  readonly name: string;
  readonly dimension: number;
}

export async function readReplayBufferInfo(store: Store, bufferId: string): Promise<ReplayBufferInfo | undefined> {
  return getJsonIfExists(store, `${replayBufferPrefix(bufferId)}/${ReplayObject.info}`, ReplayBufferInfoSchema);
}

/**
 * Records the embedder of a new buffer, or checks it against the one recorded. Create-only, so two writers racing
 * to create the same buffer agree on one embedder and the loser is checked against it.
 */
export async function claimReplayBuffer(store: Store, bufferId: string, embedder: EmbedderIdentity): Promise<ReplayBufferInfo> {
  const info: ReplayBufferInfo = { version: 1, id: bufferId, embedder: { ...embedder }, createdAt: new Date().toISOString() };
  const key = `${replayBufferPrefix(bufferId)}/${ReplayObject.info}`;
  if (await store.putIfAbsent(key, `${JSON.stringify(info, null, 2)}\n`)) return info;
  const existing = await readReplayBufferInfo(store, bufferId);
  if (!existing) throw new ConflictError(`replay buffer "${bufferId}": ${key} vanished while it was being created`);
  assertSameEmbedder(bufferId, existing.embedder, embedder);
  return existing;
}

/** Refuses to mix embedders in one buffer: cosine similarity between vectors of two embedders means nothing. */
export function assertSameEmbedder(bufferId: string, recorded: EmbedderIdentity, offered: { name: string; dimension: number | undefined }): void {
  const sameDimension = offered.dimension === undefined || offered.dimension === recorded.dimension;
  if (recorded.name === offered.name && sameDimension) return;
  const offeredText = `${offered.name} (dimension ${offered.dimension ?? 'unknown'})`;
  throw new ConflictError(
    `replay buffer "${bufferId}" holds embeddings from ${recorded.name} (dimension ${recorded.dimension}), not ${offeredText}; ` +
    'open it with the same embedder, or seed a new buffer id',
    { details: { bufferId, recorded, offered } },
  );
}
