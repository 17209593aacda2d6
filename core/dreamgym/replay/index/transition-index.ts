import { InvalidInputError } from '../../../errors.ts';
import { sameVector } from './brute-force.ts';
import { createGroupScorer, type GroupScorer } from './group-scorer.ts';
import { bestGroups } from './best-groups.ts';

export interface ScoredRow {
  /** Position of the row in the order it was added. */
  readonly row: number;
  readonly similarity: number;
}

/**
 * Exact top-k cosine search over rows of unit vectors, each with a key (the φ(s, a) text). Rows with the same key
 * and the same vector form one group and are scored once, which matters because offline data repeats (s, a) pairs
 * a lot; the group scores come from a `GroupScorer`. Results equal `bruteForceTopK` exactly, similarities and order
 * (similarity, then row position) included.
 *
 * @example
 * const index = new TransitionIndex(512);
 * index.add('page: search\naction: search[red shirt]', vector);
 * index.search(query, 5); // [{ row: 0, similarity: 0.93 }, …]
 */
export class TransitionIndex {
  readonly dimension: number;
  private readonly groupsByKey = new Map<string, number[]>();
  private readonly groupVectors: Float32Array[] = [];
  private readonly groupRows: number[][] = [];
  private rows = 0;
  private scorer: GroupScorer | undefined;
  private scores = new Float64Array(0);

  constructor(dimension: number) {
    this.dimension = dimension;
  }

  get size(): number {
    return this.rows;
  }

  get groups(): number {
    return this.groupVectors.length;
  }

  get scorerKind(): GroupScorer['kind'] | undefined {
    return this.scorer?.kind;
  }

  /** Adds a row and returns its position. The scorer is rebuilt on the next search. */
  add(key: string, vector: Float32Array): number {
    if (vector.length !== this.dimension) {
      throw new InvalidInputError(`vector has ${vector.length} dimensions, the index has ${this.dimension}`);
    }
    const row = this.rows++;
    const candidates = this.groupsByKey.get(key);
    const group = candidates?.find((g) => sameVector(this.groupVectors[g], vector));
    if (group !== undefined) {
      this.groupRows[group].push(row);
    } else {
      const created = this.groupVectors.length;
      this.groupVectors.push(vector);
      this.groupRows.push([row]);
      if (candidates) candidates.push(created);
      else this.groupsByKey.set(key, [created]);
      this.scorer = undefined;
    }
    return row;
  }

  /** Builds the scorer now rather than on the first search (so a benchmark's first query is not the slow one). */
  prepare(): void {
    if (this.scorer) return;
    this.scorer = createGroupScorer(this.groupVectors, this.dimension);
    this.scores = new Float64Array(this.groupVectors.length);
  }

  /**
   * The k rows most similar to `query`. With `distinct`, at most one row per group (its first), so k distinct
   * (s, a) pairs come back instead of k copies of the most common one.
   */
  search(query: Float32Array, k: number, options: { distinct?: boolean } = {}): ScoredRow[] {
    if (query.length !== this.dimension) {
      throw new InvalidInputError(`query has ${query.length} dimensions, the index has ${this.dimension}`);
    }
    if (k <= 0 || this.rows === 0) return [];
    this.prepare();
    this.scorer!.scoreAll(query, this.scores);
    const scores = this.scores;
    // Groups are numbered in order of their first row, so the group number breaks ties like the row position does.
    const top = bestGroups(scores, k);
    if (options.distinct) return top.map((g) => ({ row: this.groupRows[g][0], similarity: scores[g] }));
    const chosen = new Set<number>();
    let covered = 0;
    let boundary = 0;
    for (const g of top) {
      chosen.add(g);
      covered += this.groupRows[g].length;
      boundary = scores[g];
      if (covered >= k) break;
    }
    // A group tied with the last one taken may still hold rows that come earlier.
    if (covered >= k) for (let g = 0; g < scores.length; g++) if (scores[g] === boundary) chosen.add(g);
    const rows: ScoredRow[] = [];
    for (const g of chosen) for (const row of this.groupRows[g]) rows.push({ row, similarity: scores[g] });
    rows.sort((a, b) => b.similarity - a.similarity || a.row - b.row);
    return rows.slice(0, k);
  }
}
