import type { RetrievedTransition } from '../experience/experience-model.ts';
import { TransitionIndex } from './index/transition-index.ts';
import { phiText } from './phi.ts';
import type { ReplayShard } from './shard-io.ts';
import type { StoredTransition } from './stored-transition.ts';

/**
 * The in-memory side of a replay buffer: shards in canonical order (by shard id), their rows, and the exact index.
 * A shard whose id sorts after every loaded one is appended in place; any other forces a rebuild (a new epoch), so
 * the row order, and with it how ties are broken, is always the order a fresh load would give.
 */
export class ReplayMemory {
  private readonly dimension: number;
  private readonly shards = new Map<string, ReplayShard>();
  private rows: StoredTransition[] = [];
  private rowVectors: Float32Array[] = [];
  private ids = new Set<string>();
  private index: TransitionIndex;
  private lastShard = '';
  private stale = false;
  private epochCount = 0;

  constructor(dimension: number) {
    this.dimension = dimension;
    this.index = new TransitionIndex(dimension);
  }

  get size(): number {
    this.rebuildIfStale();
    return this.rows.length;
  }

  get epoch(): number {
    this.rebuildIfStale();
    return this.epochCount;
  }

  hasShard(shardId: string): boolean {
    return this.shards.has(shardId);
  }

  shardIds(): string[] {
    return [...this.shards.keys()].sort();
  }

  addShard(shard: ReplayShard): void {
    this.shards.set(shard.shardId, shard);
    if (this.stale || shard.shardId <= this.lastShard) {
      this.stale = true;
      return;
    }
    this.addRows(shard);
  }

  transitions(): readonly StoredTransition[] {
    this.rebuildIfStale();
    return this.rows;
  }

  vectors(): readonly Float32Array[] {
    this.rebuildIfStale();
    return this.rowVectors;
  }

  search(query: Float32Array, k: number, distinct: boolean): RetrievedTransition[] {
    this.rebuildIfStale();
    return this.index.search(query, k, { distinct }).map(({ row, similarity }) => ({ transition: this.rows[row], similarity }));
  }

  private addRows(shard: ReplayShard): void {
    this.lastShard = shard.shardId;
    shard.records.forEach((record, i) => {
      // The same trajectory appended under two shard ids counts once; the first shard in order keeps it.
      if (this.ids.has(record.id)) return;
      this.ids.add(record.id);
      const vector = shard.vectors.subarray(i * this.dimension, (i + 1) * this.dimension);
      this.rows.push(record);
      this.rowVectors.push(vector);
      this.index.add(phiText(record.state, record.action), vector);
    });
  }

  private rebuildIfStale(): void {
    if (!this.stale) return;
    this.stale = false;
    this.rows = [];
    this.rowVectors = [];
    this.ids = new Set();
    this.index = new TransitionIndex(this.dimension);
    this.lastShard = '';
    this.epochCount++;
    for (const shardId of this.shardIds()) this.addRows(this.shards.get(shardId)!);
  }
}
