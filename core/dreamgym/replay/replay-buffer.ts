import { InvalidInputError } from '../../errors.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';
import { readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import type { BufferedTransition, RetrievedTransition, TransitionRetriever } from '../experience/experience-model.ts';
import { assertSameEmbedder, claimReplayBuffer, readReplayBufferInfo, type ReplayBufferInfo } from './buffer-info.ts';
import { replayBufferPrefix, replayShardPrefix } from './layout.ts';
import { ReplayMemory } from './replay-memory.ts';
import { listReplayShards, readReplayShard, writeReplayShard } from './shard-io.ts';
import { StoredTransitionSchema, type StoredTransition } from './stored-transition.ts';
import { phiText } from './phi.ts';
import { packUnitRows, unitVector } from './vectors.ts';

export interface ReplayBufferOptions {
  readonly store: Store;
  /** `dreamgym/replay/<id>` in the store. */
  readonly id: string;
  readonly embedder: TextEmbedder;
}

export interface AppendResult {
  readonly shardId: string;
  /** Transitions this call added (0 when the shard was committed before). */
  readonly appended: number;
  readonly alreadyCommitted: boolean;
}

export interface RetrieveOptions {
  /** One transition per distinct (s, a) pair and vector; true by default (k copies of one pair make a poor D_k). */
  readonly distinct?: boolean;
}

/**
 * DreamGym's replay buffer: transitions with their φ(s, a) embeddings, sharded in the store as committed batches
 * and held in memory for exact top-k cosine retrieval. Seeded with offline data, appended to by rollouts; a shard id
 * is a rollout id, and appending a shard id twice changes nothing.
 *
 * @example
 * const buffer = await ReplayBuffer.open({ store, id: 'shop-main', embedder: new HashedTextEmbedder() });
 * await buffer.append('iter-0003-rollout-0017', transitions);
 * const neighbours = await buffer.retrieve(state, 'click[buy now]', 5); // D_k
 */
export class ReplayBuffer implements TransitionRetriever {
  readonly store: Store;
  readonly id: string;
  readonly embedder: TextEmbedder;
  private info: ReplayBufferInfo | undefined;
  private memory: ReplayMemory | undefined;

  private constructor(options: ReplayBufferOptions, info: ReplayBufferInfo | undefined) {
    this.store = options.store;
    this.id = options.id;
    this.embedder = options.embedder;
    this.info = info;
    if (info) this.memory = new ReplayMemory(info.embedder.dimension);
  }

  /** Opens (or starts) a buffer and loads every committed shard; refuses an embedder other than the buffer's. */
  static async open(options: ReplayBufferOptions): Promise<ReplayBuffer> {
    replayBufferPrefix(options.id);
    const info = await readReplayBufferInfo(options.store, options.id);
    if (info) assertSameEmbedder(options.id, info.embedder, options.embedder);
    const buffer = new ReplayBuffer(options, info);
    await buffer.refresh();
    return buffer;
  }

  /** The embedder recorded for this buffer, once it has its first shard. */
  get embedderInfo(): ReplayBufferInfo['embedder'] | undefined {
    return this.info?.embedder;
  }

  get size(): number {
    return this.memory?.size ?? 0;
  }

  /** Changes whenever rows are reordered (not on plain appends at the end), so dependants know to relearn. */
  get epoch(): number {
    return this.memory?.epoch ?? 0;
  }

  /** Transitions in buffer order: shards by id, then line order; a transition id seen before is skipped. */
  transitions(): readonly StoredTransition[] {
    return this.memory?.transitions() ?? [];
  }

  /** The stored unit vectors, row-aligned with `transitions()` (for reference checks). */
  vectors(): readonly Float32Array[] {
    return this.memory?.vectors() ?? [];
  }

  shardIds(): string[] {
    return this.memory?.shardIds() ?? [];
  }

  /** Loads shards that other writers committed since this buffer was opened; returns how many. */
  async refresh(): Promise<number> {
    if (!this.info) {
      this.info = await readReplayBufferInfo(this.store, this.id);
      if (!this.info) return 0;
      assertSameEmbedder(this.id, this.info.embedder, this.embedder);
      this.memory ??= new ReplayMemory(this.info.embedder.dimension);
    }
    let loaded = 0;
    for (const shardId of await listReplayShards(this.store, this.id)) {
      if (this.memory!.hasShard(shardId)) continue;
      this.memory!.addShard(await readReplayShard(this.store, this.info, shardId));
      loaded++;
    }
    return loaded;
  }

  /**
   * Embeds and commits `transitions` as shard `shardId`. Idempotent: when the shard is already committed (a retried
   * rollout), nothing is written and nothing changes.
   */
  async append(shardId: string, transitions: readonly BufferedTransition[]): Promise<AppendResult> {
    const prefix = replayShardPrefix(this.id, shardId);
    const unchanged = { shardId, appended: 0, alreadyCommitted: true } as const;
    if (this.memory?.hasShard(shardId)) return unchanged;
    if (await readManifest(this.store, prefix)) {
      await this.refresh();
      return unchanged;
    }
    if (transitions.length === 0) return { shardId, appended: 0, alreadyCommitted: false };
    const records = transitions.map((t, i) => checkTransition(t, `replay shard "${shardId}" transition ${i}`));
    const vectors = await this.embedder.embed(records.map((r) => phiText(r.state, r.action)));
    if (vectors.length !== records.length) {
      throw new InvalidInputError(`embedder ${this.embedder.name} returned ${vectors.length} vectors for ${records.length} transitions`);
    }
    const dimension = this.info?.embedder.dimension ?? vectors[0]?.length ?? 0;
    if (!this.info) {
      this.info = await claimReplayBuffer(this.store, this.id, { name: this.embedder.name, dimension });
      this.memory ??= new ReplayMemory(this.info.embedder.dimension);
    }
    const packed = packUnitRows(vectors, this.info.embedder.dimension, `replay shard "${shardId}"`);
    const shard = { shardId, records, vectors: packed };
    if (!(await writeReplayShard(this.store, this.info, shard))) {
      await this.refresh();
      return unchanged;
    }
    this.memory!.addShard(shard);
    return { shardId, appended: records.length, alreadyCommitted: false };
  }

  /** φ(s, a) of a query, as a unit vector comparable with the buffer's rows. */
  async embedQuery(state: string, action: string): Promise<Float32Array> {
    const [vector] = await this.embedder.embed([phiText(state, action)]);
    const dimension = this.info?.embedder.dimension;
    if (dimension !== undefined && vector.length !== dimension) {
      throw new InvalidInputError(`embedder ${this.embedder.name} returned ${vector.length} dimensions, buffer "${this.id}" has ${dimension}`);
    }
    return unitVector(vector, 'query embedding');
  }

  /** The k transitions most similar in φ(s, a), best first; exact (equal to the brute-force reference). */
  async retrieve(state: string, action: string, k: number, options: RetrieveOptions = {}): Promise<RetrievedTransition[]> {
    if (!this.memory || this.memory.size === 0) return [];
    return this.search(await this.embedQuery(state, action), k, options);
  }

  /** `retrieve` for a query vector already embedded (synchronous). */
  search(query: Float32Array, k: number, options: RetrieveOptions = {}): RetrievedTransition[] {
    if (!this.memory) return [];
    return this.memory.search(query, k, options.distinct ?? true);
  }
}

function checkTransition(transition: BufferedTransition, where: string): StoredTransition {
  const parsed = StoredTransitionSchema.safeParse(transition);
  if (parsed.success) return parsed.data as StoredTransition;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(`${where} (${transition?.id ?? 'no id'}) is malformed at "${issue.path.join('.')}": ${issue.message}`);
}
