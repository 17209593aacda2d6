import { InvalidInputError } from '../../errors.ts';
import type { OnnxEmbedder } from '../embedder.ts';
import type { FeatureTransform } from '../reverse-transform/feature-transform.ts';

export interface ImageShapeLike {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Throws when an embedder's input is not the gallery's image shape, naming both (channels x height x width). */
export function assertEmbedderFitsImages(embedder: OnnxEmbedder, image: ImageShapeLike, role: string): void {
  if (embedder.channels !== image.channels || embedder.height !== image.height || embedder.width !== image.width) {
    throw new InvalidInputError(
      `the ${role} model ${embedder.source} expects ${embedder.channels}x${embedder.height}x${embedder.width} images (channels x height x width); ` +
        `the gallery's images are ${image.channels}x${image.height}x${image.width}`,
    );
  }
}

/** Throws when an embedder's output is not `dim` wide: a model that does not match the gallery's index. */
export function assertEmbedderDim(embedder: OnnxEmbedder, dim: number, role: string, galleryId: string): void {
  if (embedder.outputDim !== dim) {
    throw new InvalidInputError(
      `the ${role} model ${embedder.source} outputs ${embedder.outputDim}-dimensional embeddings, but gallery "${galleryId}" holds ${dim}-dimensional ${role}-model embeddings`,
    );
  }
}

/** Throws unless ψ maps new-model features to old-model features. */
export function assertPsiFits(psi: FeatureTransform, newDim: number, oldDim: number): void {
  if (psi.inDim !== newDim || psi.outDim !== oldDim) {
    throw new InvalidInputError(
      `ψ ${psi.label} maps ${psi.inDim} → ${psi.outDim} features, but it must map the new model's ${newDim}-dimensional embeddings ` +
        `to the old model's ${oldDim}-dimensional space (${newDim} → ${oldDim})`,
    );
  }
}
