import { InvalidInputError } from '../../errors.ts';

/**
 * Packs embeddings into one row-major matrix of unit rows (in float32, as stored), checking every vector has the
 * buffer's dimension and only finite values, so a bad embedder fails at append rather than poisoning retrieval.
 */
export function packUnitRows(vectors: readonly Float32Array[], dimension: number, where: string): Float32Array {
  const matrix = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimension) {
      throw new InvalidInputError(`${where}: embedding ${row} has ${vector.length} dimensions, expected ${dimension}`);
    }
    matrix.set(unitVector(vector, `${where}: embedding ${row}`), row * dimension);
  });
  return matrix;
}

/** A float32 copy of `vector` scaled to unit length (an all-zero vector stays zero: it matches nothing). */
export function unitVector(vector: Float32Array, where = 'embedding'): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new InvalidInputError(`${where} has a non-finite value at ${i}`);
    norm += vector[i] * vector[i];
  }
  const out = new Float32Array(vector.length);
  if (norm === 0) return out;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * scale;
  return out;
}
