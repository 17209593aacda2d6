import onnxProto from 'onnx-proto';
import { InvalidInputError } from '../../errors.ts';

const { onnx } = onnxProto;

/**
 * Rewrites an image model that takes float32 NCHW pixels scaled to [0, 1] into one that takes the raw uint8 pixels
 * in `ImageSet`'s layout (NHWC; for one channel NHWC and NCHW are the same bytes): the graph gains `Cast` → `Div 255`
 * (→ `Transpose` for several channels) in front of the original input. onnxruntime then does the conversion that
 * `imagesToNchw` does in JavaScript, in its own kernels, and the pixels are fed without a copy. `x / 255` in float32
 * is what `imagesToNchw`'s table holds (each entry `v / 255` rounded to float32), so the inputs the model sees are the
 * same floats.
 *
 * @example
 * const u8 = withUint8Input(await readFile('models/fashion-mnist/new.onnx'), 'new.onnx');
 * // input "image_uint8": uint8 [N, 1, 28, 28]; output unchanged
 */
export function withUint8Input(bytes: Uint8Array, source: string): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const initializers = new Set((graph?.initializer ?? []).map((t) => t.name));
  const inputs = (graph?.input ?? []).filter((i) => !initializers.has(i.name));
  if (!graph || inputs.length !== 1) throw new InvalidInputError(`${source}: expected one graph input, found ${inputs.length}`);
  const [input] = inputs;
  const tensor = input.type?.tensorType;
  const dims = tensor?.shape?.dim ?? [];
  if (tensor?.elemType !== onnx.TensorProto.DataType.FLOAT || dims.length !== 4) {
    throw new InvalidInputError(`${source}: input "${input.name}" is not a float32 [N, C, H, W] tensor`);
  }
  const name = input.name!;
  const [n, c, h, w] = dims;
  const channels = Number(c.dimValue ?? 0);
  if (!(channels > 0)) throw new InvalidInputError(`${source}: input "${name}" has no fixed channel count`);
  const raw = `${name}_uint8`, float = `${name}_uint8_float`, scaled = channels === 1 ? name : `${name}_uint8_scaled`;
  const nodes: onnxProto.onnx.INodeProto[] = [
    { opType: 'Cast', input: [raw], output: [float], name: `${float}_node`, attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }] },
    { opType: 'Div', input: [float, `${raw}_255`], output: [scaled], name: `${scaled}_node` },
  ];
  if (channels > 1) {
    nodes.push({ opType: 'Transpose', input: [scaled], output: [name], name: `${name}_nchw_node`, attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] }] });
  }
  const scale = new Uint8Array(4);
  new DataView(scale.buffer).setFloat32(0, 255, true);
  graph.initializer = [...(graph.initializer ?? []), { name: `${raw}_255`, dims: [], dataType: onnx.TensorProto.DataType.FLOAT, rawData: scale }];
  graph.node = [...nodes, ...(graph.node ?? [])];
  const shape = channels === 1 ? [n, c, h, w] : [n, h, w, c];
  // Before IR version 4 every initializer is also listed among the graph's inputs (the ONNX spec); onnxruntime
  // accepts the scale either way, the checker and other runtimes do not.
  const scaleInput = Number(model.irVersion ?? 0) < 4
    ? [{ name: `${raw}_255`, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [] } } } }]
    : [];
  graph.input = [
    { name: raw, type: { tensorType: { elemType: onnx.TensorProto.DataType.UINT8, shape: { dim: shape } } } },
    ...(graph.input ?? []).filter((i) => i !== input),
    ...scaleInput,
  ];
  return onnx.ModelProto.encode(model).finish();
}
