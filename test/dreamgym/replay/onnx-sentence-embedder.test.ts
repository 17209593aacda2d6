import fs from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxSentenceEmbedder } from '../../../core/dreamgym/embed/onnx-sentence-embedder.ts';
import { removeTempDirs, scratchDir } from './shop-buffer.ts';

afterAll(removeTempDirs);

const { onnx } = onnxProto;
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'red', 'shirt', 'buy', 'now', '[', ']', 'click'];
const WIDTH = 4;
const wordTable = Float32Array.from({ length: VOCAB.length * WIDTH }, (_, i) => Math.sin(i + 1));
const typeTable = Float32Array.from({ length: 2 * WIDTH }, (_, i) => 0.1 * (i + 1));

/**
 * A BERT-shaped toy: last_hidden_state = (word embedding [+ token-type embedding]) × attention mask. Small enough
 * to check the embedder's pooling by hand.
 */
function toyModel(withTokenTypes: boolean): Uint8Array {
  const ints = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: 'N' }, { dimParam: 'S' }] } } } });
  const tensor = (name: string, data: Float32Array, dims: number[]) => ({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer.slice(0)) });
  const node = (opType: string, input: string[], output: string, attribute: onnxProto.onnx.IAttributeProto[] = []) => ({ opType, input, output: [output], name: output, attribute });
  const nodes = [node('Gather', ['words', 'input_ids'], 'w')];
  let hidden = 'w';
  if (withTokenTypes) {
    nodes.push(node('Gather', ['types', 'token_type_ids'], 't'), node('Add', ['w', 't'], 'wt'));
    hidden = 'wt';
  }
  nodes.push(
    node('Cast', ['attention_mask'], 'm', [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }]),
    node('Unsqueeze', ['m', 'axis2'], 'm3'),
    node('Mul', [hidden, 'm3'], 'last_hidden_state'),
  );
  const axis = { name: 'axis2', dims: [1], dataType: onnx.TensorProto.DataType.INT64, int64Data: [2] };
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'toy_bert',
      node: nodes,
      initializer: [tensor('words', wordTable, [VOCAB.length, WIDTH]), ...(withTokenTypes ? [tensor('types', typeTable, [2, WIDTH])] : []), axis],
      input: [ints('input_ids'), ints('attention_mask'), ...(withTokenTypes ? [ints('token_type_ids')] : [])],
      output: [{ name: 'last_hidden_state', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimParam: 'S' }, { dimValue: WIDTH }] } } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

async function writeModel(withTokenTypes: boolean, vocab = true): Promise<string> {
  const dir = await scratchDir();
  await fs.writeFile(path.join(dir, 'model.onnx'), toyModel(withTokenTypes));
  if (vocab) await fs.writeFile(path.join(dir, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
  return path.join(dir, 'model.onnx');
}

/** Mean of the token rows ([CLS] … [SEP]), plus the type-0 row when the model adds it, scaled to unit length. */
function expected(tokens: string[], withTokenTypes: boolean): number[] {
  const sum = new Array(WIDTH).fill(0);
  for (const token of tokens) {
    const id = VOCAB.indexOf(token);
    for (let w = 0; w < WIDTH; w++) sum[w] += wordTable[id * WIDTH + w] + (withTokenTypes ? typeTable[w] : 0);
  }
  const mean = sum.map((x) => x / tokens.length);
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}

describe('the ONNX sentence embedder', () => {
  it('mean-pools last_hidden_state over the attention mask and normalises, across a padded batch', async () => {
    // Prepare
    const embedder = await OnnxSentenceEmbedder.open({ modelPath: await writeModel(true), batchSize: 2 });
    // Act
    const vectors = await embedder.embed(['red shirt', 'click [buy now]', 'red']);
    // Assess
    expect(embedder.dimension).toBe(WIDTH);
    expect(embedder.name).toMatch(/^onnx:model\.onnx@[0-9a-f]{12}$/);
    const want = [['[CLS]', 'red', 'shirt', '[SEP]'], ['[CLS]', 'click', '[', 'buy', 'now', ']', '[SEP]'], ['[CLS]', 'red', '[SEP]']];
    vectors.forEach((vector, i) => expected(want[i], true).forEach((x, w) => expect(vector[w]).toBeCloseTo(x, 5)));
    await embedder.close();
  });

  it('runs a model that takes no token_type_ids', async () => {
    const embedder = await OnnxSentenceEmbedder.open({ modelPath: await writeModel(false) });
    const [vector] = await embedder.embed(['buy now']);
    expected(['[CLS]', 'buy', 'now', '[SEP]'], false).forEach((x, w) => expect(vector[w]).toBeCloseTo(x, 5));
    await embedder.close();
  });

  it('names the missing vocab.txt next to the model', async () => {
    const modelPath = await writeModel(true, false);
    await expect(OnnxSentenceEmbedder.open({ modelPath })).rejects.toThrow(/cannot read the WordPiece vocabulary \(vocab\.txt\) at .*vocab\.txt/);
  });

  it('reports a file that is not an ONNX model', async () => {
    const modelPath = await writeModel(true);
    await fs.writeFile(modelPath, 'not a model');
    await expect(OnnxSentenceEmbedder.open({ modelPath })).rejects.toThrow(/model\.onnx: not a loadable ONNX model/);
  });
});
