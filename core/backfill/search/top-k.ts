/**
 * The best `k` (score, index) pairs seen so far, kept in a min-heap of typed arrays so that a scan over 70k
 * candidates allocates nothing. Order: higher score first; equal scores by lower index first, so results are
 * deterministic and match a brute-force sort.
 *
 * @example
 * const top = new TopK(2);
 * top.push(0.5, 7); top.push(0.9, 3); top.push(0.1, 1);
 * top.sorted(); // [{ index: 3, score: 0.9 }, { index: 7, score: 0.5 }]
 */
export class TopK {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private count = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  get size(): number {
    return this.count;
  }

  /** The score a candidate must beat (or tie with a lower index) to enter; -Infinity while not full. */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0];
  }

  push(score: number, index: number): void {
    if (this.k === 0) return;
    if (this.count < this.k) {
      this.scores[this.count] = score;
      this.indices[this.count] = index;
      this.siftUp(this.count++);
      return;
    }
    if (!worse(this.scores[0], this.indices[0], score, index)) return;
    this.scores[0] = score;
    this.indices[0] = index;
    this.siftDown(0);
  }

  /** The kept pairs, best first. */
  sorted(): { index: number; score: number }[] {
    const out = Array.from({ length: this.count }, (_, i) => ({ index: this.indices[i], score: this.scores[i] }));
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(this.scores[i], this.indices[i], this.scores[parent], this.indices[parent])) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let w = i;
      if (l < this.count && worse(this.scores[l], this.indices[l], this.scores[w], this.indices[w])) w = l;
      if (r < this.count && worse(this.scores[r], this.indices[r], this.scores[w], this.indices[w])) w = r;
      if (w === i) return;
      this.swap(i, w);
      i = w;
    }
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]; this.scores[a] = this.scores[b]; this.scores[b] = s;
    const x = this.indices[a]; this.indices[a] = this.indices[b]; this.indices[b] = x;
  }
}

/** True when (scoreA, indexA) ranks below (scoreB, indexB). */
function worse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && indexA > indexB);
}
