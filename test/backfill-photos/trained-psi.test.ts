import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../../core/backfill/features.ts';
import { OnnxTransform } from '../../core/backfill/reverse-transform/onnx-transform.ts';
import { psiFileOnnx, psiFileTransform, readPsiFile } from '../../core/backfill/reverse-transform/psi-file.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

const emulator = useEmulator();
const MODELS = path.resolve(import.meta.dirname, '../../models/photos');
const OLD_CARD = path.join(MODELS, 'old.card.json');
const NEW_CARD = path.join(MODELS, 'new.card.json');
const cards = ['--old-model', OLD_CARD, '--new-model', NEW_CARD];

const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');
const clean = (stderr: string) => stderr.replace(/.*\r/g, '');

async function photoFolder(count: number, seed: number): Promise<string> {
  const dir = await tempDir('photos-');
  await writePhotoFolder(dir, { count, seed });
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Trains ψ for the photo pair on `dataset` through the CLI and returns the file and the command's JSON. */
async function trainPsi(dataset: string, env: Record<string, string>, extra: string[] = []) {
  const out = path.join(await tempDir('psi-'), 'psi.json');
  const result = await runCli(['backfill', 'psi', 'train', '--dataset', dataset, ...cards, '--out', out, '--json', ...extra], env);
  expect(clean(result.stderr)).toBe('');
  expect(result.code).toBe(0);
  return { out, summary: JSON.parse(result.stdout) };
}

/** ingest with the trained ψ → backfill 2 shards → search → status → finish → eval, through the real CLI. */
async function endToEnd(dataset: string, env: Record<string, string>, psi: string, query: string) {
  const ingest = await runCli(['backfill', 'ingest', '--dataset', dataset, '--gallery', 'pt', ...cards, '--psi', psi, '--shard-size', '10', '--query-fraction', '0.2', '--json'], env);
  const half = await runCli(['backfill', 'run', 'pt', '--max-shards', '2', '--json'], env);
  const during = await runCli(['backfill', 'search', 'pt', '--image', query, '--mode', 'rt-merge', '--k', '5', '--json'], env);
  const status = await runCli(['backfill', 'status', 'pt', '--json'], env);
  const rest = await runCli(['backfill', 'run', 'pt', '--json'], env);
  const evaluation = await runCli(['backfill', 'eval', '--gallery', 'pt', '--json'], env);
  for (const step of [ingest, half, during, status, rest, evaluation]) {
    expect(clean(step.stderr)).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(step.code).toBe(0);
  }
  return { ingest: JSON.parse(ingest.stdout), during: JSON.parse(during.stdout), status: JSON.parse(status.stdout), rest: JSON.parse(rest.stdout), evaluation: JSON.parse(evaluation.stdout) };
}

function assessTrainedPsiGallery(result: Awaited<ReturnType<typeof endToEnd>>) {
  expect(result.ingest).toMatchObject({ gallery: 'pt', created: true, dims: { old: 32, new: 48 }, psi: 'trained' });
  expect(result.during.psi).toBe('trained ψ given at ingest');
  expect(result.during.results).toHaveLength(5);
  expect(result.status.psi).toEqual({ source: 'trained' });
  expect(result.rest).toMatchObject({ status: 'complete', psi: { source: 'trained' } });
  expect(result.evaluation.modes['rt-merge'].curve.at(-1)[1]).toBeCloseTo(result.evaluation.mAP.new, 6);
}

describe('a trained ψ for model cards', () => {
  it('trains ψ for the photo pair and records both models, their hashes and what it measured on held-out images', async () => {
    // Prepare
    const folder = await photoFolder(60, 41);
    const env = { REVERIE_STORE: `file://${await tempDir()}` };

    // Act
    const { out, summary } = await trainPsi(folder, env, ['--held-out', '0.25']);
    const file = await readPsiFile(out);

    // Assess: new (48-d) → old (32-d), each model named and hashed as its ONNX file is.
    expect(file).toMatchObject({ kind: 'reverie-psi', method: 'procrustes', inDim: 48, outDim: 32, trainedOn: folder });
    expect(file.models.old).toMatchObject({ name: 'reverie-photos-old', dim: 32, onnxSha256: await sha(path.join(MODELS, 'old.onnx')) });
    expect(file.models.new).toMatchObject({ name: 'reverie-photos-new', dim: 48, onnxSha256: await sha(path.join(MODELS, 'new.onnx')) });
    expect(file.weights).toHaveLength(48 * 32);
    expect(file.quality.trainPairs + file.quality.heldOutPairs).toBe(60);
    expect(file.quality.heldOutPairs).toBeGreaterThan(5);
    expect(file.quality.trainMeanCosine).toBeGreaterThan(0.2);
    expect(file.quality.trainMeanCosine).toBeLessThanOrEqual(1);
    expect(file.quality.heldOutMeanCosine).toBeGreaterThan(0);
    expect(summary).toMatchObject({ out, method: 'procrustes', dims: { new: 48, old: 32 }, quality: file.quality });
  }, 120_000);

  it('stores the file\'s ψ as ONNX that maps features exactly as the file\'s weights do', async () => {
    // Prepare
    const folder = await photoFolder(24, 42);
    const { out } = await trainPsi(folder, { REVERIE_STORE: `file://${await tempDir()}` }, ['--method', 'least-squares']);
    const file = await readPsiFile(out);
    const features = createFeatureMatrix(Float32Array.from({ length: 5 * 48 }, (_, i) => Math.sin(i * 0.37)), 48);

    // Act
    const onnx = await OnnxTransform.load(psiFileOnnx(file));
    const viaOnnx = await onnx.apply(features);
    const direct = psiFileTransform(file).applySync(features);

    // Assess
    expect(file.bias).toHaveLength(32);
    expect(viaOnnx.dim).toBe(32);
    for (let i = 0; i < direct.data.length; i++) expect(viaOnnx.data[i]).toBeCloseTo(direct.data[i], 5);
    await onnx.release();
  }, 120_000);

  it('ingests a photo folder with the trained ψ, backfills, searches with it during the backfill and evaluates', async () => {
    // Prepare: ψ trained on other photos than the gallery's.
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const { out } = await trainPsi(await photoFolder(60, 43), env);
    const gallery = await photoFolder(50, 44);
    const query = path.join(gallery, (await filesUnder(gallery)).find((f) => f.startsWith('circle/'))!);

    // Act
    const result = await endToEnd(gallery, env, out, query);

    // Assess: the trained ψ serves from the start, and no online fit is ever made.
    assessTrainedPsiGallery(result);
    const store = env.REVERIE_STORE.slice('file://'.length);
    expect(await readdir(path.join(store, 'backfill/galleries/pt/psi')).catch(() => [])).toEqual([]);
  }, 240_000);

  it('trains from an s3:// prefix and ingests from one with the trained ψ, against the emulator', async () => {
    // Prepare
    const s3 = emulator();
    s3.createBucket('photos');
    const upload = async (folder: string, prefix: string) => {
      for (const file of await filesUnder(folder)) await s3.s3.send(new PutObjectCommand({ Bucket: 'photos', Key: `${prefix}/${file}`, Body: await readFile(path.join(folder, file)) }));
    };
    await upload(await photoFolder(40, 45), 'train');
    const gallery = await photoFolder(50, 46);
    await upload(gallery, 'gallery');
    const env = {
      REVERIE_STORE: `file://${await tempDir()}`, REVERIE_AWS_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1',
    };
    const query = path.join(gallery, (await filesUnder(gallery)).find((f) => f.startsWith('square/'))!);

    // Act
    const { out, summary } = await trainPsi('s3://photos/train', env);
    const result = await endToEnd('s3://photos/gallery', env, out, query);

    // Assess
    expect(summary.trainedOn).toBe('s3://photos/train');
    assessTrainedPsiGallery(result);
  }, 240_000);

  it('refuses a ψ file trained for other models, naming what differs, and writes no gallery', async () => {
    // Prepare: one ψ file for the photo pair, then cards and files that differ from it in one way each.
    const folder = await photoFolder(20, 47);
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const { out } = await trainPsi(folder, env);
    const dir = path.dirname(out);
    const card = JSON.parse(await readFile(NEW_CARD, 'utf8'));
    const otherPreprocessing = path.join(dir, 'other-pre.card.json');
    await writeFile(otherPreprocessing, JSON.stringify({ ...card, model: path.join(MODELS, 'new.onnx'), input: { ...card.input, mean: [0.5, 0.5, 0.5] } }));
    const file = JSON.parse(await readFile(out, 'utf8'));
    const otherHash = path.join(dir, 'other-hash.json');
    await writeFile(otherHash, JSON.stringify({ ...file, models: { ...file.models, new: { ...file.models.new, onnxSha256: 'ab'.repeat(32) } } }));
    const notPsi = path.join(dir, 'not-psi.json');
    await writeFile(notPsi, '{"kind": "something else"}');
    const ingest = (psi: string, newCard = NEW_CARD, gallery = 'bad') =>
      runCli(['backfill', 'ingest', '--dataset', folder, '--gallery', gallery, '--old-model', OLD_CARD, '--new-model', newCard, '--psi', psi, '--json'], env);

    // Act
    const swapped = await ingest(out, OLD_CARD);
    const preprocessing = await ingest(out, otherPreprocessing);
    const hash = await ingest(otherHash);
    const invalid = await ingest(notPsi);
    const onnxPsi = await ingest(path.join(MODELS, 'new.onnx'));
    const status = await runCli(['backfill', 'status', 'bad', '--json'], env);

    // Assess: one line each, exit 2, no stack trace, no gallery.
    for (const r of [swapped, preprocessing, hash, invalid, onnxPsi]) {
      expect(r.code).toBe(2);
      expect(clean(r.stderr).trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(swapped.stderr).toMatch(/trained for new model "reverie-photos-new".*dims differ: 48-d expected, the card outputs 32-d/);
    expect(preprocessing.stderr).toMatch(/new model.*preprocessing or output differs/);
    expect(hash.stderr).toMatch(/new model.*the ONNX file differs: model hash abababababab… expected/);
    expect(invalid.stderr).toMatch(/not-psi\.json: kind: .*reverie backfill psi train/);
    expect(onnxPsi.stderr).toMatch(/--psi with model cards is "online" or a ψ file/);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/no gallery "bad"/);
  }, 180_000);

  it('refuses bad psi train options with one line and exit 2', async () => {
    // Prepare
    const env = { REVERIE_STORE: `file://${await tempDir()}` };
    const folder = await photoFolder(4, 48);

    // Act
    const noOut = await runCli(['backfill', 'psi', 'train', '--dataset', folder, ...cards], env);
    const method = await runCli(['backfill', 'psi', 'train', '--dataset', folder, ...cards, '--out', path.join(folder, 'p.json'), '--method', 'mlp'], env);
    const builtin = await runCli(['backfill', 'psi', 'train', '--dataset', 'mnist', ...cards, '--out', path.join(folder, 'p.json')], env);
    const help = await runCli(['backfill', '--help'], env);

    // Assess
    expect(noOut).toMatchObject({ code: 2 });
    expect(noOut.stderr).toMatch(/--out are required/);
    expect(method.stderr).toMatch(/--method must be least-squares or procrustes, got "mlp"/);
    expect(builtin.stderr).toMatch(/built-in datasets ship their own ψ/);
    expect(help.stdout).toMatch(/reverie backfill psi train --dataset .* --out PSI\.json/);
    expect(help.stdout).toMatch(/--psi online\|PSI\.json/);
  }, 120_000);
});
