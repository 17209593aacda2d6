import { constraintShare, featureKey, type PurchaseFeatures } from './purchase-features.ts';

export interface RewardPrediction {
  readonly reward: number;
  /** 'table': the mean reward of past purchases with these exact features; 'regression': the fitted fallback. */
  readonly source: 'table' | 'regression' | 'none';
  /** How many past purchases the table entry averages (0 for the fallback). */
  readonly support: number;
}

/**
 * The outcome reward of a purchase, learned from the buffer's real purchases: the mean reward of past purchases
 * with exactly the same features, and, for a combination never seen, a least-squares fit of reward on the
 * constraint share split by product-type overlap (all, some, none).
 *
 * @example
 * const model = new PurchaseRewardModel();
 * model.learn(features, 1);
 * model.predict(features); // { reward: 1, source: 'table', support: 1 }
 */
export class PurchaseRewardModel {
  private readonly table = new Map<string, { sum: number; count: number }>();
  private readonly rows: number[][] = [];
  private readonly targets: number[] = [];
  private weights: number[] | undefined;

  get purchases(): number {
    return this.targets.length;
  }

  learn(features: PurchaseFeatures, reward: number): void {
    const key = featureKey(features);
    const entry = this.table.get(key) ?? { sum: 0, count: 0 };
    entry.sum += reward;
    entry.count++;
    this.table.set(key, entry);
    this.rows.push(design(features));
    this.targets.push(reward);
    this.weights = undefined;
  }

  predict(features: PurchaseFeatures): RewardPrediction {
    const entry = this.table.get(featureKey(features));
    if (entry) return { reward: entry.sum / entry.count, source: 'table', support: entry.count };
    return this.predictByRegression(features);
  }

  /** The fitted fallback alone (what `predict` answers for a feature combination the table lacks). */
  predictByRegression(features: PurchaseFeatures): RewardPrediction {
    if (this.targets.length === 0) return { reward: 0, source: 'none', support: 0 };
    this.weights ??= leastSquares(this.rows, this.targets);
    const x = design(features);
    const raw = x.reduce((sum, value, i) => sum + value * this.weights![i], 0);
    return { reward: Math.min(1, Math.max(0, raw)), source: 'regression', support: 0 };
  }
}

function design(f: PurchaseFeatures): number[] {
  const share = constraintShare(f);
  const all = f.typeOverlap === 1 ? 1 : 0;
  const some = f.typeOverlap > 0 && f.typeOverlap < 1 ? 1 : 0;
  return [share * all, share * some, share * (1 - all - some), all, some, 1];
}

/** Ridge-regularised normal equations, solved by Gaussian elimination with partial pivoting. */
function leastSquares(rows: readonly number[][], targets: readonly number[]): number[] {
  const n = rows[0].length;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === j ? 1e-6 : 0)));
  rows.forEach((x, r) => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i][j] += x[i] * x[j];
      a[i][n] += x[i] * targets[r];
    }
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < n; r++) {
      if (r === col || a[col][col] === 0) continue;
      const factor = a[r][col] / a[col][col];
      for (let c = col; c <= n; c++) a[r][c] -= factor * a[col][c];
    }
  }
  return a.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}
