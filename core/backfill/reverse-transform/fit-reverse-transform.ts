import { InvalidInputError } from '../../errors.ts';
import type { FeatureMatrix } from '../features.ts';
import { choleskySolve, columnMeans, crossProduct, inverseSqrtPsd, multiply, symmetricEigen, transpose, type Matrix64 } from './linear-algebra.ts';
import { LinearTransform } from './linear-transform.ts';

export const ReverseTransformMethod = { leastSquares: 'least-squares', procrustes: 'procrustes' } as const;
export type ReverseTransformMethod = (typeof ReverseTransformMethod)[keyof typeof ReverseTransformMethod];

export interface FitReverseTransformOptions {
  /** Default `procrustes`. */
  readonly method?: ReverseTransformMethod;
  /** Ridge strength for least squares, relative to the mean feature variance (λ = ridge·tr(NᵀN)/d). Default 1e-3. */
  readonly ridge?: number;
  /** Majorisation steps for Procrustes with d_new > d_old. Default 300. */
  readonly maxIterations?: number;
}

/**
 * Fits ψ: new → old in closed form from paired features of the same items (row i of `newFeatures` and of
 * `oldFeatures` embed the same image), such as the items a running backfill has already re-embedded.
 *
 * - `least-squares`: ridge regression with an unpenalised bias, `W = (N̄ᵀN̄ + λI)⁻¹ N̄ᵀŌ` on centred features,
 *   `b = mean(O) − mean(N)·W`. Any dims. Works with fewer pairs than dimensions thanks to the ridge.
 * - `procrustes`: no bias; `W` minimises ‖N·W − O‖ over (semi-)orthogonal matrices, so ψ is a rigid map.
 *   Equal dims: `W` is the polar factor of `NᵀO` (`U·Vᵀ` of its SVD), a rotation/reflection that keeps new-space
 *   cosine geometry exactly. d_new < d_old: W has orthonormal rows (an isometric embedding of the new space into the
 *   old one); ‖N·W‖ is then constant, so the polar factor is again exact. d_new > d_old: W has orthonormal columns
 *   (rotate, then keep d_old directions); this "unbalanced" Procrustes has no closed form, so the polar factor is
 *   refined by Kiers' majorisation `W ← polar(NᵀO + (λI − NᵀN)·W)` (λ ≥ the largest eigenvalue of NᵀN), which
 *   lowers the residual at every step, until it stalls or after `maxIterations`.
 *   With fewer independent pairs than min(d_new, d_old) the unconstrained directions are dropped (a partial isometry).
 *
 * Outputs of the returned transform are L2-normalised, like the ONNX ψ.
 *
 * @example
 * const psi = fitReverseTransform(backfilledNew, backfilledOld, { method: 'least-squares' });
 * const oldSpaceQuery = psi.applySync(newQuery);
 */
export function fitReverseTransform(
  newFeatures: FeatureMatrix,
  oldFeatures: FeatureMatrix,
  options: FitReverseTransformOptions = {},
): LinearTransform {
  const method = options.method ?? ReverseTransformMethod.procrustes;
  if (newFeatures.rows !== oldFeatures.rows) {
    throw new InvalidInputError(`ψ needs paired features: ${newFeatures.rows} new rows but ${oldFeatures.rows} old rows`);
  }
  if (newFeatures.rows < 2) throw new InvalidInputError(`ψ needs at least 2 paired items, got ${newFeatures.rows}`);
  const inDim = newFeatures.dim, outDim = oldFeatures.dim;
  const label = `${method}(${inDim}→${outDim}, ${newFeatures.rows} pairs)`;
  if (method === ReverseTransformMethod.procrustes) {
    const nto = crossProduct(newFeatures, oldFeatures);
    const w = inDim > outDim
      ? unbalancedProcrustes(crossProduct(newFeatures, newFeatures), nto, options.maxIterations ?? 300)
      : polarFactor(nto);
    return new LinearTransform({ weights: toFloat32(w), inDim, outDim, label });
  }
  if (method !== ReverseTransformMethod.leastSquares) throw new InvalidInputError(`unknown ψ fitting method "${String(method)}"`);
  const ridge = options.ridge ?? 1e-3;
  if (!(ridge >= 0)) throw new InvalidInputError(`ridge must be >= 0, got ${ridge}`);
  const meanN = columnMeans(newFeatures), meanO = columnMeans(oldFeatures);
  const gram = crossProduct(newFeatures, newFeatures, meanN, meanN);
  let trace = 0;
  for (let i = 0; i < inDim; i++) trace += gram.data[i * inDim + i];
  const lambda = (ridge * trace) / inDim;
  for (let i = 0; i < inDim; i++) gram.data[i * inDim + i] += lambda;
  const w = choleskySolve(gram, crossProduct(newFeatures, oldFeatures, meanN, meanO));
  const bias = new Float32Array(outDim);
  for (let j = 0; j < outDim; j++) {
    let s = meanO[j];
    for (let i = 0; i < inDim; i++) s -= meanN[i] * w.data[i * outDim + j];
    bias[j] = s;
  }
  return new LinearTransform({ weights: toFloat32(w), bias, inDim, outDim, label });
}

/** U·Vᵀ of M's thin SVD, computed as M·(MᵀM)^(-1/2) or (MMᵀ)^(-1/2)·M, whichever Gram matrix is smaller. */
function polarFactor(m: Matrix64): Matrix64 {
  const mt = transpose(m);
  return m.rows >= m.cols ? multiply(m, inverseSqrtPsd(multiply(mt, m))) : multiply(inverseSqrtPsd(multiply(m, mt)), m);
}

/** Kiers (1990) majorisation for min ‖N·W − O‖ with WᵀW = I, from the Gram NᵀN and the cross product NᵀO. */
function unbalancedProcrustes(ntn: Matrix64, nto: Matrix64, maxIterations: number): Matrix64 {
  const p = ntn.rows;
  const lambda = symmetricEigen(ntn).values.reduce((m, x) => Math.max(m, x), 0);
  // The residual up to the constant ‖O‖²: tr(WᵀNᵀNW) − 2·tr(WᵀNᵀO).
  const residual = (w: Matrix64): number => {
    const nw = multiply(ntn, w);
    let s = 0;
    for (let i = 0; i < w.data.length; i++) s += w.data[i] * nw.data[i] - 2 * w.data[i] * nto.data[i];
    return s;
  };
  let w = polarFactor(nto);
  let last = residual(w);
  for (let it = 0; it < maxIterations; it++) {
    const target = multiply(ntn, w);
    for (let i = 0; i < target.data.length; i++) target.data[i] = nto.data[i] + lambda * w.data[i] - target.data[i];
    const next = polarFactor(target);
    const value = residual(next);
    w = next;
    if (last - value <= 1e-12 * Math.max(1, Math.abs(last)) * p) break;
    last = value;
  }
  return w;
}

function toFloat32(m: Matrix64): Float32Array {
  return Float32Array.from(m.data);
}
