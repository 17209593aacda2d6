import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { identityMismatch, ModelIdentitySchema, type ModelIdentity } from '../models/model-identity.ts';
import { exportSequentialOnnx } from '../onnx/export.ts';
import { ReverseTransformMethod } from './fit-reverse-transform.ts';
import { LinearTransform } from './linear-transform.ts';

/**
 * A trained ψ for a pair of model cards (`reverie backfill psi train`): the linear map new → old (`weights`
 * row-major `[inDim, outDim]`, optional `bias`), the identities of the two models it was trained for, and what it
 * measured on the pairs it held out. JSON so people can read what it is for; float32 values round-trip exactly.
 */
export const PsiFileSchema = z.object({
  kind: z.literal('reverie-psi'),
  version: z.literal(1),
  createdAt: z.string(),
  /** The images it was trained on (a folder or an `s3://` prefix), for people reading the file. */
  trainedOn: z.string(),
  method: z.enum([ReverseTransformMethod.procrustes, ReverseTransformMethod.leastSquares]),
  models: z.object({ old: ModelIdentitySchema, new: ModelIdentitySchema }),
  inDim: z.number().int().positive(),
  outDim: z.number().int().positive(),
  weights: z.array(z.number()),
  bias: z.array(z.number()).optional(),
  /** Measured: pairs fitted on, pairs held out, and the mean cosine of ψ(new) with old on each. */
  quality: z.object({
    trainPairs: z.number().int().nonnegative(),
    heldOutPairs: z.number().int().nonnegative(),
    trainMeanCosine: z.number(),
    heldOutMeanCosine: z.number().nullable(),
  }),
});
export type PsiFile = z.infer<typeof PsiFileSchema>;

/**
 * Reads and validates a ψ file, naming the file and the field on any problem.
 *
 * @example
 * const file = await readPsiFile('psi.json'); // file.models.new.dim === file.inDim
 */
export async function readPsiFile(path: string): Promise<PsiFile> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new NotFoundError(`ψ file ${path} could not be read`, { cause });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`ψ file ${path} is not valid JSON (${(cause as Error).message}); make one with \`reverie backfill psi train\``, { cause });
  }
  const parsed = PsiFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`ψ file ${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}; make one with \`reverie backfill psi train\``);
  }
  const file = parsed.data;
  if (file.inDim !== file.models.new.dim || file.outDim !== file.models.old.dim) {
    throw new InvalidInputError(`ψ file ${path} maps ${file.inDim} → ${file.outDim}, but its models are ${file.models.new.dim}-d (new) and ${file.models.old.dim}-d (old)`);
  }
  if (file.weights.length !== file.inDim * file.outDim) throw new InvalidInputError(`ψ file ${path}: weights holds ${file.weights.length} values, expected ${file.inDim} × ${file.outDim}`);
  if (file.bias && file.bias.length !== file.outDim) throw new InvalidInputError(`ψ file ${path}: bias holds ${file.bias.length} values, expected ${file.outDim}`);
  return file;
}

/**
 * Throws unless the ψ file was trained for exactly these two models, naming the role and what differs (dims, the
 * ONNX file's hash, the card's preprocessing, its name).
 */
export function assertPsiFileMatches(file: PsiFile, where: string, models: { readonly old: ModelIdentity; readonly new: ModelIdentity }): void {
  for (const role of ['new', 'old'] as const) {
    const mismatch = identityMismatch(file.models[role], models[role]);
    if (mismatch) {
      throw new InvalidInputError(
        `ψ file ${where} was trained for ${role} model "${file.models[role].name}", not the --${role}-model given: ${mismatch}; train one for these cards with \`reverie backfill psi train\``,
      );
    }
  }
}

/** The ψ of a file as a LinearTransform. */
export function psiFileTransform(file: PsiFile, label = `trained ${file.method}(${file.inDim}→${file.outDim})`): LinearTransform {
  return new LinearTransform({
    weights: Float32Array.from(file.weights), ...(file.bias ? { bias: Float32Array.from(file.bias) } : {}), inDim: file.inDim, outDim: file.outDim, label,
  });
}

/** The ψ of a file as ONNX bytes (`[N, inDim]` → `[N, outDim]`, L2-normalised), how a gallery stores a trained ψ. */
export function psiFileOnnx(file: PsiFile): Uint8Array {
  return exportSequentialOnnx({
    input: { name: 'features', shape: [file.inDim] }, outputName: 'embedding', layers: psiFileTransform(file).toOnnxLayers(),
    description: `ψ ${file.models.new.name} → ${file.models.old.name} (${file.method}, trained on ${file.trainedOn})`,
    metadata: { role: 'psi', old: file.models.old.onnxSha256, new: file.models.new.onnxSha256 },
  });
}

/** The JSON text of a ψ file for a fitted transform. */
export function psiFileText(psi: LinearTransform, meta: Omit<PsiFile, 'kind' | 'version' | 'inDim' | 'outDim' | 'weights' | 'bias'>): string {
  const file: PsiFile = {
    kind: 'reverie-psi', version: 1, ...meta, inDim: psi.inDim, outDim: psi.outDim,
    weights: Array.from(psi.weights), ...(psi.bias ? { bias: Array.from(psi.bias) } : {}),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}
