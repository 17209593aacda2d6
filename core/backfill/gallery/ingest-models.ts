import { readFile } from 'node:fs/promises';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { sha256 } from '../../store/batch.ts';
import { isBuiltinDataset } from '../datasets/builtin.ts';
import { builtinModelFiles } from '../eval/evaluate-builtin.ts';
import { OnnxTransform } from '../reverse-transform/onnx-transform.ts';
import type { GalleryModelBytes } from './gallery-models.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { assertPsiFits } from './model-checks.ts';

/** The ONNX files an ingest uses. `psi: 'online'` means no trained ψ: the workflow fits one online. */
export interface IngestModelOptions {
  readonly old?: string;
  readonly new?: string;
  readonly psi?: string;
}

export interface IngestModelFiles {
  readonly old: string;
  readonly new: string;
  readonly psi?: string;
}

/**
 * Built-in datasets default to Reverie's own old/new/ψ; a folder needs its models named. When either embedder is
 * the user's own, the built-in ψ cannot fit it, so ψ then defaults to an online fit.
 */
export function resolveModelFiles(dataset: string, given: IngestModelOptions = {}): IngestModelFiles {
  const defaults = isBuiltinDataset(dataset) ? builtinModelFiles(dataset) : undefined;
  const old = given.old ?? defaults?.old;
  const upgraded = given.new ?? defaults?.new;
  if (!old || !upgraded) throw new InvalidInputError('an image folder needs --old-model and --new-model (ONNX files taking [N, C, H, W] images)');
  const psi = given.psi === 'online' ? undefined : (given.psi ?? (given.old || given.new ? undefined : defaults?.psi));
  return { old, new: upgraded, ...(psi ? { psi } : {}) };
}

export async function readModelBytes(files: IngestModelFiles): Promise<GalleryModelBytes> {
  const read = (file: string, role: string) => readFile(file).then((b) => new Uint8Array(b), (cause: unknown) => {
    throw new NotFoundError(`the ${role} model file ${file} could not be read`, { cause });
  });
  return { old: await read(files.old, 'old'), new: await read(files.new, 'new'), ...(files.psi ? { psi: await read(files.psi, 'ψ') } : {}) };
}

/** Loads a trained ψ and checks that it maps the new model's features into the old model's space. */
export async function checkTrainedPsi(file: string, bytes: Uint8Array, newDim: number, oldDim: number): Promise<NonNullable<GalleryRecord['models']['psi']>> {
  const psi = await OnnxTransform.load(file);
  try {
    assertPsiFits(psi, newDim, oldDim);
    return { sha256: sha256(bytes), source: file, inDim: psi.inDim, outDim: psi.outDim };
  } finally {
    await psi.release();
  }
}
