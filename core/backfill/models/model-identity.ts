import { z } from 'zod';
import { sha256 } from '../../store/batch.ts';
import type { ModelCard } from './model-card.ts';

/**
 * What a feature space depends on: the card's name, the embedding dimension, the ONNX file's SHA-256 and a hash of
 * the card's preprocessing and output (`input` and `output`; the description and file name do not change features).
 * A trained ψ records the identities of the two models it maps between, so it is never used with other ones.
 */
export const ModelIdentitySchema = z.object({
  name: z.string().min(1),
  dim: z.number().int().positive(),
  onnxSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256'),
  preprocessingSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a hex SHA-256'),
});
export type ModelIdentity = z.infer<typeof ModelIdentitySchema>;

/**
 * The identity of a card and its ONNX bytes.
 *
 * @example
 * const id = modelIdentity(await loadModelCard('models/photos/new.card.json'), onnxBytes); // { name, dim: 48, … }
 */
export function modelIdentity(card: Pick<ModelCard, 'name' | 'input' | 'output'>, onnxBytes: Uint8Array): ModelIdentity {
  const preprocessing = JSON.stringify({ input: card.input, output: card.output });
  return { name: card.name, dim: card.output.dim, onnxSha256: sha256(onnxBytes), preprocessingSha256: sha256(new TextEncoder().encode(preprocessing)) };
}

/**
 * How `actual` differs from `expected`, most telling first (dims, ONNX file, preprocessing, name), or undefined when
 * they are the same model.
 */
export function identityMismatch(expected: ModelIdentity, actual: ModelIdentity): string | undefined {
  if (expected.dim !== actual.dim) return `dims differ: ${expected.dim}-d expected, the card outputs ${actual.dim}-d`;
  if (expected.onnxSha256 !== actual.onnxSha256) {
    return `the ONNX file differs: model hash ${expected.onnxSha256.slice(0, 12)}… expected, ${actual.onnxSha256.slice(0, 12)}… given`;
  }
  if (expected.preprocessingSha256 !== actual.preprocessingSha256) return 'the card\'s preprocessing or output differs (input/output fields)';
  if (expected.name !== actual.name) return `the card's name differs: "${expected.name}" expected, "${actual.name}" given`;
  return undefined;
}
