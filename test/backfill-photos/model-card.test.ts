import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSequentialOnnx } from '../../core/backfill/onnx/export.ts';
import { CardEmbedder } from '../../core/backfill/models/card-embedder.ts';
import { checkModelCard } from '../../core/backfill/models/check-card.ts';
import { createRng } from '../../core/random.ts';
import { loadModelCard } from '../../core/backfill/models/model-card.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const MODELS = path.resolve(import.meta.dirname, '../../models');

/** The photo old model's card, changed by `edit`, written beside a copy path pointing at the real ONNX file. */
async function editedCard(edit: (card: Record<string, any>) => void): Promise<string> {
  const card = JSON.parse(await readFile(path.join(MODELS, 'photos/old.card.json'), 'utf8'));
  card.model = path.join(MODELS, 'photos/old.onnx');
  edit(card);
  const file = path.join(await tempDir(), 'edited.card.json');
  await writeFile(file, JSON.stringify(card));
  return file;
}

describe('model cards', () => {
  it.each([
    ['photos/old', 32, [3, 32, 32]], ['photos/new', 48, [3, 48, 48]],
    ['fashion-mnist/old', 64, [1, 28, 28]], ['fashion-mnist/new', 64, [1, 28, 28]], ['mnist/old', 64, [1, 28, 28]], ['mnist/new', 64, [1, 28, 28]],
  ])('%s opens, runs one image and reports its input and a unit-length output', async (name, dim, shape) => {
    const check = await checkModelCard(path.join(MODELS, `${name}.card.json`));
    expect(check.output.dim).toBe(dim);
    expect(check.input.shape).toEqual(shape);
    expect(check.probe.outputNorm).toBeCloseTo(1, 4);
  });

  it('names the field of an invalid card', async () => {
    await expect(loadModelCard(await editedCard((c) => delete c.output.name))).rejects.toThrow(/edited\.card\.json: output\.name: /);
    await expect(loadModelCard(await editedCard((c) => (c.input.mean = [0.5, 0.5])))).rejects.toThrow(/input\.mean has 2 values; give 1 or 3/);
    await expect(loadModelCard(await editedCard((c) => (c.input.layout = 'CHW')))).rejects.toThrow(/input\.layout: /);
    await expect(loadModelCard(await editedCard((c) => (c.input.resizeShorter = 8)))).rejects.toThrow(/resizeShorter 8 is smaller than the 32x32 crop/);
  });

  it('refuses a card that does not match its model: output name, dimension, input size, dtype, missing file', async () => {
    await expect(checkModelCard(await editedCard((c) => (c.output.name = 'features')))).rejects.toThrow(/has no output "features" \(output\.name\); its outputs are embedding/);
    await expect(checkModelCard(await editedCard((c) => (c.output.dim = 64)))).rejects.toThrow(/output "embedding" is float32 \[1, 32\], the card says float32 \[1, 64\] \(output\.dim\)/);
    await expect(checkModelCard(await editedCard((c) => (c.input.height = 40)))).rejects.toThrow(/input "image" is \[N, 3, 32, 32\], the card describes \[N, 3, 40, 32\]/);
    await expect(checkModelCard(await editedCard((c) => (c.input.dtype = 'uint8')))).rejects.toThrow(/input "image" is float32, the card says input\.dtype uint8/);
    await expect(checkModelCard(await editedCard((c) => (c.model = 'nowhere.onnx')))).rejects.toThrow(/nowhere\.onnx .*the ONNX file is missing or unreadable/);
  });

  it('catches a card that says output.normalized for a model that does not normalise, in models check and on the first batch', async () => {
    // Prepare: a 3×32×32 → 32 linear model (no L2 normalisation), under a card copied from photos/old (normalized: true).
    const rng = createRng(3);
    const file = path.join(await tempDir(), 'linear.onnx');
    await writeFile(file, exportSequentialOnnx({
      input: { name: 'image', shape: [3, 32, 32] }, outputName: 'embedding',
      layers: [{ type: 'flatten', order: 'nchw' }, { type: 'dense', weights: Float32Array.from({ length: 3072 * 32 }, () => rng.normal()), inDim: 3072, outDim: 32 }],
    }));
    const cardPath = await editedCard((c) => (c.model = file));
    // Act / Assess
    await expect(checkModelCard(cardPath)).rejects.toThrow(/linear\.onnx \(card .*edited\.card\.json says output\.normalized\): output row 0 has L2 norm [\d.]+, not 1/);
    const embedder = await CardEmbedder.open(await loadModelCard(cardPath), { intraOpNumThreads: 1 });
    await expect(embedder.embedBatch(new Float32Array(2 * 3072).fill(0.5), 2)).rejects.toThrow(/says output\.normalized\): output row 0 has L2 norm/);
    await embedder.release();
    const fixed = await CardEmbedder.open(await loadModelCard(await editedCard((c) => { c.model = file; c.output.normalized = false; })), { intraOpNumThreads: 1 });
    const features = await fixed.embedBatch(new Float32Array(2 * 3072).fill(0.5), 2);
    expect(Math.hypot(...features.data.subarray(0, 32))).toBeCloseTo(1, 5);
    await fixed.release();
  });

  it('reverie backfill models check prints what it found, and exits 2 with the reason for a bad card', async () => {
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const good = await runCli(['backfill', 'models', 'check', path.join(MODELS, 'photos/new.card.json')], env);
    const bad = await runCli(['backfill', 'models', 'check', await editedCard((c) => (c.output.name = 'nope'))], env);
    const missing = await runCli(['backfill', 'models', 'check', '/nowhere/x.card.json'], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/input {2}"image" float32 \[N, 3, 48, 48\] NCHW, BGR, shorter side → 56/);
    expect(good.stdout).toMatch(/output "embedding" \[N, 48\]/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/has no output "nope"/);
    expect(bad.stderr).not.toMatch(/\.ts:\d+/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model card \/nowhere\/x\.card\.json could not be read/);
  });
});
