import { hashSeed } from '../../../random.ts';

/** Named features with values (absent = 0); names are hashed into the model's weights. */
export type Features = ReadonlyMap<string, number>;

export interface LogisticOptions {
  /** Weights (hash buckets); 4,096 by default. */
  readonly dimension?: number;
  /** Passes over the examples per fit; 8 by default. */
  readonly epochs?: number;
  readonly learningRate?: number;
  /** L2 penalty per step; 1e-5 by default. */
  readonly l2?: number;
}

/**
 * Logistic regression over hashed sparse features, fitted by stochastic gradient descent on every example seen
 * (targets in [0, 1], so fractional targets fit by cross-entropy). Examples arrive with `add`; the fit is redone
 * lazily on the next `predict` after new ones, in a fixed order, so the same data gives the same model.
 *
 * @example
 * const model = new LogisticModel();
 * model.add(new Map([['page=item|verb=click', 1]]), 1);
 * model.predict(new Map([['page=item|verb=click', 1]])); // > 0.5
 */
export class LogisticModel {
  private readonly dimension: number;
  private readonly epochs: number;
  private readonly learningRate: number;
  private readonly l2: number;
  private readonly examples: { x: [number, number][]; y: number }[] = [];
  private weights: Float64Array | undefined;
  private readonly buckets = new Map<string, number>();

  constructor(options: LogisticOptions = {}) {
    this.dimension = options.dimension ?? 4096;
    this.epochs = options.epochs ?? 8;
    this.learningRate = options.learningRate ?? 0.3;
    this.l2 = options.l2 ?? 1e-5;
  }

  get size(): number {
    return this.examples.length;
  }

  add(features: Features, target: number): void {
    this.examples.push({ x: this.encode(features), y: Math.min(1, Math.max(0, target)) });
    this.weights = undefined;
  }

  /** P(target = 1 | features); 0.5 before any example. */
  predict(features: Features): number {
    if (this.examples.length === 0) return 0.5;
    this.weights ??= this.fit();
    return sigmoid(dot(this.weights, this.encode(features)));
  }

  private fit(): Float64Array {
    const w = new Float64Array(this.dimension + 1);
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      const rate = this.learningRate / (1 + epoch);
      for (const { x, y } of this.examples) {
        const gradient = sigmoid(dot(w, x)) - y;
        for (const [i, v] of x) w[i] -= rate * (gradient * v + this.l2 * w[i]);
        w[this.dimension] -= rate * gradient;
      }
    }
    return w;
  }

  private encode(features: Features): [number, number][] {
    const out: [number, number][] = [];
    for (const [name, value] of features) {
      if (value === 0) continue;
      let bucket = this.buckets.get(name);
      if (bucket === undefined) {
        bucket = Math.abs(hashSeed(name)) % this.dimension;
        if (this.buckets.size < 200_000) this.buckets.set(name, bucket);
      }
      out.push([bucket, value]);
    }
    return out;
  }
}

function dot(w: Float64Array, x: readonly [number, number][]): number {
  let sum = w[w.length - 1];
  for (const [i, v] of x) sum += w[i] * v;
  return sum;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
