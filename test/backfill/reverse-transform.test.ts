import { describe, expect, it } from 'vitest';
import { createFeatureMatrix, normalizeRows, type FeatureMatrix } from '../../core/backfill/features.ts';
import { fitReverseTransform } from '../../core/backfill/reverse-transform/fit-reverse-transform.ts';
import { createRng } from '../../core/random.ts';
import { randomFeatures } from './synthetic.ts';

/** x · M (+ b) for row-major M of inDim × outDim. */
function mapRows(x: FeatureMatrix, m: Float64Array, outDim: number, bias?: Float64Array): FeatureMatrix {
  const out = new Float32Array(x.rows * outDim);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < outDim; j++) {
      let s = bias ? bias[j] : 0;
      for (let i = 0; i < x.dim; i++) s += x.data[r * x.dim + i] * m[i * outDim + j];
      out[r * outDim + j] = s;
    }
  }
  return createFeatureMatrix(out, outDim);
}

/** A random orthogonal d×d matrix (Gram–Schmidt on Gaussian columns). */
function randomRotation(d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const q = Float64Array.from({ length: d * d }, () => rng.normal());
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * d + c] * q[r * d + p];
      for (let r = 0; r < d; r++) q[r * d + c] -= dot * q[r * d + p];
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += q[r * d + c] ** 2;
    for (let r = 0; r < d; r++) q[r * d + c] /= Math.sqrt(norm);
  }
  return q;
}

function maxAbsDiff(a: FeatureMatrix, b: FeatureMatrix): number {
  return a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);
}

describe('fitReverseTransform', () => {
  it('recovers a known rotation with orthogonal Procrustes', () => {
    // Prepare
    const rotation = randomRotation(16, 1);
    const newFeatures = randomFeatures(200, 16, 2);
    const oldFeatures = mapRows(newFeatures, rotation, 16);
    // Act
    const psi = fitReverseTransform(newFeatures, oldFeatures, { method: 'procrustes' });
    // Assess
    psi.weights.forEach((w, i) => expect(w).toBeCloseTo(rotation[i], 5));
    expect(maxAbsDiff(psi.applySync(randomFeatures(5, 16, 3)), normalizeRows(mapRows(randomFeatures(5, 16, 3), rotation, 16)))).toBeLessThan(1e-5);
  });

  it('returns orthonormal columns when the new space is wider than the old one', () => {
    // Prepare: old = the first 6 coordinates of a rotated 10-dim new space
    const rotation = randomRotation(10, 4);
    const projection = new Float64Array(10 * 6);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 6; j++) projection[i * 6 + j] = rotation[i * 10 + j];
    const newFeatures = randomFeatures(300, 10, 5);
    // Act
    const psi = fitReverseTransform(newFeatures, mapRows(newFeatures, projection, 6), { method: 'procrustes' });
    // Assess: WᵀW = I, and W is the projection it was generated from
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let s = 0;
        for (let i = 0; i < 10; i++) s += psi.weights[i * 6 + a] * psi.weights[i * 6 + b];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
    psi.weights.forEach((w, i) => expect(w).toBeCloseTo(projection[i], 4));
  });

  it('returns orthonormal rows when the new space is narrower than the old one', () => {
    const newFeatures = randomFeatures(300, 4, 6);
    const oldFeatures = randomFeatures(300, 9, 7);
    const psi = fitReverseTransform(newFeatures, oldFeatures, { method: 'procrustes' });
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let s = 0;
        for (let j = 0; j < 9; j++) s += psi.weights[a * 9 + j] * psi.weights[b * 9 + j];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 5);
      }
    }
  });

  it('recovers a known affine map with least squares', () => {
    // Prepare
    const rng = createRng(8);
    const map = Float64Array.from({ length: 12 * 5 }, () => rng.normal());
    const bias = Float64Array.from({ length: 5 }, () => rng.normal());
    const newFeatures = randomFeatures(400, 12, 9);
    // Act
    const psi = fitReverseTransform(newFeatures, mapRows(newFeatures, map, 5, bias), { method: 'least-squares', ridge: 0 });
    // Assess
    psi.weights.forEach((w, i) => expect(w).toBeCloseTo(map[i], 4));
    psi.bias!.forEach((b, j) => expect(b).toBeCloseTo(bias[j], 4));
  });

  it('shrinks towards zero with a ridge and still fits with fewer pairs than dimensions', () => {
    const newFeatures = randomFeatures(5, 12, 10);
    const psi = fitReverseTransform(newFeatures, randomFeatures(5, 6, 11), { method: 'least-squares' });
    expect(psi.weights.every(Number.isFinite)).toBe(true);
    expect(() => fitReverseTransform(newFeatures, randomFeatures(5, 6, 11), { method: 'least-squares', ridge: 0 })).toThrow(/singular/);
  });

  it('rejects unpaired features', () => {
    expect(() => fitReverseTransform(randomFeatures(5, 4, 1), randomFeatures(6, 4, 2))).toThrow(/5 new rows but 6 old rows/);
    expect(() => fitReverseTransform(randomFeatures(1, 4, 1), randomFeatures(1, 4, 2))).toThrow(/at least 2/);
  });

  it('exposes ONNX layers and checks the input dimension', () => {
    const psi = fitReverseTransform(randomFeatures(50, 8, 1), randomFeatures(50, 8, 2));
    expect(psi.toOnnxLayers().map((l) => l.type)).toEqual(['dense', 'l2Normalize']);
    expect(() => psi.applySync(randomFeatures(2, 7, 3))).toThrow(/dimension 7, expected 8/);
  });
});
