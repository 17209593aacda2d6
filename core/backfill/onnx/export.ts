import onnxProto from 'onnx-proto';
import { InvalidInputError } from '../../errors.ts';
import type { OnnxLayer } from './layers.ts';
import { inferShapes } from './shapes.ts';

const { onnx } = onnxProto;
const OPSET = 13;
const IR_VERSION = 7;

export interface SequentialModelSpec {
  /** Input name and shape without the batch axis, e.g. `{ name: 'image', shape: [1, 28, 28] }`. */
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  /** Output name; Reverie's embedders use `embedding`. */
  readonly outputName: string;
  readonly layers: readonly OnnxLayer[];
  /** Free text stored as the graph's doc string (the model card's one-line summary). */
  readonly description?: string;
  /** Key/value pairs stored as ONNX metadata_props (for example the dataset and role). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Writes a sequential network as an ONNX model (opset 13, float32, symbolic batch axis `N`) and returns its bytes.
 * Shapes are checked layer by layer first, so a weight array of the wrong size fails here with the layer's index
 * rather than later inside onnxruntime.
 *
 * @example
 * const bytes = exportSequentialOnnx({
 *   input: { name: 'features', shape: [64] },
 *   outputName: 'embedding',
 *   layers: [{ type: 'dense', weights, bias, inDim: 64, outDim: 64 }, { type: 'l2Normalize', epsilon: 1e-12 }],
 * });
 * await writeFile('psi.onnx', bytes);
 */
export function exportSequentialOnnx(spec: SequentialModelSpec): Uint8Array {
  const shapes = inferShapes(spec.input.shape, spec.layers);
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  let current = spec.input.name;
  spec.layers.forEach((layer, i) => {
    const isLast = i === spec.layers.length - 1;
    const out = (suffix = ''): string => (isLast && suffix === '' ? spec.outputName : `l${i}_${layer.type}${suffix}`);
    const weight = (name: string, data: Float32Array, dims: number[]): string => {
      initializers.push(floatTensor(`l${i}_${name}`, data, dims));
      return `l${i}_${name}`;
    };
    switch (layer.type) {
      case 'conv2d': {
        const w = weight('W', layer.weights, [layer.outChannels, layer.inChannels, ...layer.kernel]);
        const b = weight('B', layer.bias, [layer.outChannels]);
        nodes.push(node('Conv', [current, w, b], out(), [
          ints('kernel_shape', layer.kernel), ints('strides', layer.stride ?? [1, 1]), ints('pads', layer.pads ?? [0, 0, 0, 0]),
        ]));
        break;
      }
      case 'relu':
        nodes.push(node('Relu', [current], out()));
        break;
      case 'maxPool2d':
        nodes.push(node('MaxPool', [current], out(), [ints('kernel_shape', layer.kernel), ints('strides', layer.stride)]));
        break;
      case 'flatten': {
        let source = current;
        if (layer.order === 'nhwc') {
          nodes.push(node('Transpose', [current], out('_nhwc'), [ints('perm', [0, 2, 3, 1])]));
          source = out('_nhwc');
        }
        nodes.push(node('Flatten', [source], out(), [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]));
        break;
      }
      case 'dense': {
        const w = weight('W', layer.weights, [layer.inDim, layer.outDim]);
        const b = weight('B', layer.bias ?? new Float32Array(layer.outDim), [layer.outDim]);
        nodes.push(node('Gemm', [current, w, b], out()));
        break;
      }
      case 'l2Normalize': {
        const eps = weight('eps', Float32Array.of(layer.epsilon), []);
        nodes.push(node('ReduceSumSquare', [current], out('_sq'), [ints('axes', [1]), { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]));
        nodes.push(node('Max', [out('_sq'), eps], out('_clamped')));
        nodes.push(node('Sqrt', [out('_clamped')], out('_norm')));
        nodes.push(node('Div', [current, out('_norm')], out()));
        break;
      }
    }
    current = out();
  });
  if (spec.layers.length === 0) throw new InvalidInputError('a model needs at least one layer');
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'reverie',
    docString: spec.description ?? '',
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'reverie_sequential',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(spec.input.name, spec.input.shape)],
      output: [valueInfo(spec.outputName, shapes[shapes.length - 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function node(opType: string, input: string[], output: string, attribute: onnxProto.onnx.IAttributeProto[] = []): onnxProto.onnx.INodeProto {
  return { opType, input, output: [output], name: `${output}_node`, attribute };
}

function ints(name: string, values: readonly number[]): onnxProto.onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...values] };
}

function floatTensor(name: string, data: Float32Array, dims: number[]): onnxProto.onnx.ITensorProto {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function valueInfo(name: string, shape: readonly number[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...shape.map((dimValue) => ({ dimValue }))] },
      },
    },
  };
}
