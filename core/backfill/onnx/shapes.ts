import { InvalidInputError } from '../../errors.ts';
import type { OnnxLayer } from './layers.ts';

/**
 * The per-sample shape after each layer (batch axis left out), checking every weight array against the shape
 * that reaches it. Returns one shape per layer.
 */
export function inferShapes(input: readonly number[], layers: readonly OnnxLayer[]): number[][] {
  const shapes: number[][] = [];
  let shape = [...input];
  layers.forEach((layer, i) => {
    const fail = (problem: string): never => {
      throw new InvalidInputError(`layer ${i} (${layer.type}): ${problem}; input shape [${shape.join(', ')}]`);
    };
    switch (layer.type) {
      case 'conv2d': {
        const [kh, kw] = layer.kernel;
        const [sh, sw] = layer.stride ?? [1, 1];
        const [pt, pl, pb, pr] = layer.pads ?? [0, 0, 0, 0];
        if (shape.length !== 3 || shape[0] !== layer.inChannels) fail(`expects [${layer.inChannels}, H, W]`);
        if (layer.weights.length !== layer.outChannels * layer.inChannels * kh * kw) fail(`weights hold ${layer.weights.length} values, expected ${layer.outChannels}x${layer.inChannels}x${kh}x${kw}`);
        if (layer.bias.length !== layer.outChannels) fail(`bias holds ${layer.bias.length} values, expected ${layer.outChannels}`);
        shape = [layer.outChannels, Math.floor((shape[1] + pt + pb - kh) / sh) + 1, Math.floor((shape[2] + pl + pr - kw) / sw) + 1];
        break;
      }
      case 'maxPool2d': {
        if (shape.length !== 3) fail('expects [C, H, W]');
        const [kh, kw] = layer.kernel;
        const [sh, sw] = layer.stride;
        shape = [shape[0], Math.floor((shape[1] - kh) / sh) + 1, Math.floor((shape[2] - kw) / sw) + 1];
        break;
      }
      case 'flatten':
        if (layer.order === 'nhwc' && shape.length !== 3) fail('nhwc flatten expects [C, H, W]');
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dense':
        if (shape.length !== 1 || shape[0] !== layer.inDim) fail(`expects [${layer.inDim}]`);
        if (layer.weights.length !== layer.inDim * layer.outDim) fail(`weights hold ${layer.weights.length} values, expected ${layer.inDim}x${layer.outDim}`);
        if (layer.bias && layer.bias.length !== layer.outDim) fail(`bias holds ${layer.bias.length} values, expected ${layer.outDim}`);
        shape = [layer.outDim];
        break;
      case 'l2Normalize':
        if (shape.length !== 1) fail('expects a flat [D] feature vector');
        break;
      case 'relu':
        break;
    }
    if (shape.some((d) => !(d > 0))) fail('produces an empty output');
    shapes.push(shape);
  });
  return shapes;
}
