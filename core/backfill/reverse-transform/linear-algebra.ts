import { InvalidInputError } from '../../errors.ts';
import type { FeatureMatrix } from '../features.ts';

/** Dense row-major float64 matrices for the small (d×d) systems of the closed-form ψ fits. */
export interface Matrix64 {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

export function matrix64(rows: number, cols: number): Matrix64 {
  return { data: new Float64Array(rows * cols), rows, cols };
}

/** AᵀB for row-aligned A (n×p) and B (n×q), optionally after subtracting column means. */
export function crossProduct(a: FeatureMatrix, b: FeatureMatrix, meanA?: Float64Array, meanB?: Float64Array): Matrix64 {
  const p = a.dim, q = b.dim;
  const out = matrix64(p, q);
  const rowA = new Float64Array(p), rowB = new Float64Array(q);
  for (let r = 0; r < a.rows; r++) {
    for (let i = 0; i < p; i++) rowA[i] = a.data[r * p + i] - (meanA ? meanA[i] : 0);
    for (let j = 0; j < q; j++) rowB[j] = b.data[r * q + j] - (meanB ? meanB[j] : 0);
    for (let i = 0; i < p; i++) {
      const ai = rowA[i];
      if (ai === 0) continue;
      const o = i * q;
      for (let j = 0; j < q; j++) out.data[o + j] += ai * rowB[j];
    }
  }
  return out;
}

export function columnMeans(m: FeatureMatrix): Float64Array {
  const mean = new Float64Array(m.dim);
  for (let r = 0; r < m.rows; r++) for (let j = 0; j < m.dim; j++) mean[j] += m.data[r * m.dim + j];
  for (let j = 0; j < m.dim; j++) mean[j] /= Math.max(1, m.rows);
  return mean;
}

export function multiply(a: Matrix64, b: Matrix64): Matrix64 {
  const out = matrix64(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j] += aik * b.data[k * b.cols + j];
    }
  }
  return out;
}

export function transpose(a: Matrix64): Matrix64 {
  const out = matrix64(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = a.data[i * a.cols + j];
  return out;
}

/** Solves S·X = R for symmetric positive-definite S by Cholesky; throws when S is not positive definite. */
export function choleskySolve(s: Matrix64, r: Matrix64): Matrix64 {
  const n = s.rows;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s.data[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new InvalidInputError('the normal equations are singular: too few or collinear pairs; use a positive ridge');
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  }
  const x = matrix64(n, r.cols);
  for (let c = 0; c < r.cols; c++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = r.data[i * r.cols + c];
      for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
      y[i] = sum / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = y[i];
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x.data[k * r.cols + c];
      x.data[i * r.cols + c] = sum / l[i * n + i];
    }
  }
  return x;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: S = V·diag(values)·Vᵀ, V's columns the vectors. */
export function symmetricEigen(s: Matrix64, maxSweeps = 60): { values: Float64Array; vectors: Matrix64 } {
  const n = s.rows;
  const a = Float64Array.from(s.data);
  const v = matrix64(n, n);
  for (let i = 0; i < n; i++) v.data[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v.data[k * n + p], vkq = v.data[k * n + q];
          v.data[k * n + p] = c * vkp - sn * vkq;
          v.data[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/**
 * S^(-1/2) of a symmetric positive semi-definite matrix, with eigenvalues below `relativeTolerance · max` treated as
 * zero (a pseudo-inverse square root), so rank-deficient input gives a partial isometry instead of infinities.
 */
export function inverseSqrtPsd(s: Matrix64, relativeTolerance = 1e-10): Matrix64 {
  const { values, vectors } = symmetricEigen(s);
  const n = s.rows;
  const max = values.reduce((m, x) => Math.max(m, x), 0);
  const out = matrix64(n, n);
  for (let k = 0; k < n; k++) {
    if (!(values[k] > relativeTolerance * max)) continue;
    const w = 1 / Math.sqrt(values[k]);
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k] * w;
      for (let j = 0; j < n; j++) out.data[i * n + j] += vik * vectors.data[j * n + k];
    }
  }
  return out;
}
