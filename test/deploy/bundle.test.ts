import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../adapters/runtime.ts';
import { ConfigError, loadConfig } from '../../core/config/config.ts';
import { DECODE_WORKER_BUNDLE_FILE } from '../../core/backfill/images/decode-pool.ts';
import { bundleExternals, DECODE_WORKER_BUNDLE, IMAGE_BUNDLING, SEARCH_BUNDLING } from '../../infra/bundling.ts';
import { decodeWorkerDestination } from '../../infra/decode-worker-bundle.ts';
import { writePhotoFolder } from '../fixtures/photo-set.ts';
import { tempDir } from '../helpers/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCAL_ONLY = /node_modules\/(aws-local-stepfunctions|asl-validator|jsonata|@aws-sdk\/client-lambda)\/|workflows\/local-engine\.ts|functions\/local\.ts/;

/**
 * The modules a handler's bundle holds, bundled the way SST does (one ESM bundle per handler, dynamic imports
 * followed, onnxruntime-node external). rolldown stands in for SST's esbuild, which is not installed here; both
 * follow literal dynamic imports into the bundle.
 */
async function bundledModules(handler: string, external = ['onnxruntime-node']): Promise<string[]> {
  const out = await build({ input: path.join(ROOT, handler), platform: 'node', external, write: false, output: { format: 'esm' }, logLevel: 'silent' });
  return out.output.flatMap((chunk) => ('modules' in chunk ? Object.keys(chunk.modules) : []));
}

/** What SST's `nodejs.install: ['usearch']` puts next to the bundle: the package and its runtime dependencies. */
const USEARCH_INSTALL = ['usearch', 'bindings', 'file-uri-to-path', 'node-gyp-build'];

async function runSearchBundle(withInstall: boolean): Promise<Record<string, unknown>> {
  const dir = await tempDir('reverie-bundle-');
  await build({
    input: path.join(ROOT, 'test/deploy/fixtures/usearch-entry.ts'), platform: 'node', external: bundleExternals(SEARCH_BUNDLING),
    output: { format: 'esm', file: path.join(dir, 'entry.mjs') }, logLevel: 'silent',
  });
  if (withInstall) {
    for (const pkg of USEARCH_INSTALL) await fs.cp(path.join(ROOT, 'node_modules', pkg), path.join(dir, 'node_modules', pkg), { recursive: true });
  }
  const run = spawnSync(process.execPath, [path.join(dir, 'entry.mjs')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/**
 * Bundles the photo-embedding fixture as the embed-shard function is bundled, into `functions/backfill/` of a temp dir
 * outside the repository, with (or without) the decode worker's own bundle beside it as infra/functions.ts ships it;
 * onnxruntime-node and sharp are linked in as the layer and SST's install provide them. Runs it with `workers` and returns its last JSON line.
 */
async function runPhotoEmbedBundle(withWorker: boolean, workers: string): Promise<Record<string, unknown>> {
  const dir = await tempDir('reverie-bundle-');
  const handler = 'functions/backfill/embed-shard.ts';
  const entry = path.join(dir, handler.replace(/\.ts$/, '.mjs'));
  await build({
    input: path.join(ROOT, 'test/deploy/fixtures/photo-embed-entry.ts'), platform: 'node', external: bundleExternals(IMAGE_BUNDLING),
    output: { format: 'esm', file: entry, codeSplitting: false }, logLevel: 'silent',
  });
  if (withWorker) {
    await build({
      input: path.join(ROOT, DECODE_WORKER_BUNDLE.entry), platform: 'node', external: [...DECODE_WORKER_BUNDLE.external],
      output: { format: 'esm', file: path.join(dir, decodeWorkerDestination(handler)), codeSplitting: false }, logLevel: 'silent',
    });
  }
  for (const pkg of RUNTIME_PACKAGES) await linkPackage(dir, pkg);
  const photos = await writePhotoFolder(path.join(dir, 'photos'), { count: 70, seed: 5 });
  const run = spawnSync(process.execPath, [entry, path.join(dir, 'photos'), path.join(ROOT, 'models/photos/new.card.json'), workers], {
    cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PHOTO_REFS: JSON.stringify(photos.map((p) => ({ sourceId: p.sourceId }))) },
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/**
 * What the function finds at run time outside its bundle: onnxruntime from the layer, and what SST's
 * `install: ['sharp']` puts beside the bundle (sharp, its dependencies and its linux-x64 binaries).
 */
const RUNTIME_PACKAGES = ['onnxruntime-node', 'onnxruntime-common', 'sharp', '@img/colour', 'detect-libc', 'semver', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'];

async function linkPackage(dir: string, pkg: string): Promise<void> {
  await fs.mkdir(path.join(dir, 'node_modules', path.dirname(pkg)), { recursive: true });
  await fs.symlink(path.join(ROOT, 'node_modules', pkg), path.join(dir, 'node_modules', pkg));
}

describe('Lambda bundles', () => {
  it.each(['functions/store/verify-batch.ts', 'functions/api/lambda.ts'])('%s holds no local engine', async (handler) => {
    const modules = await bundledModules(handler);
    expect(modules.some((m) => m.endsWith('adapters/runtime.ts'))).toBe(true);
    expect(modules.filter((m) => LOCAL_ONLY.test(m))).toEqual([]);
  }, 60_000);

  it('keeps usearch out of the search function\'s bundle: SST installs it beside the bundle', async () => {
    const modules = await bundledModules('functions/api/lambda.ts', bundleExternals(SEARCH_BUNDLING));
    expect(modules.some((m) => m.endsWith('core/backfill/search/index/usearch-index.ts'))).toBe(true);
    expect(modules.filter((m) => /node_modules\/usearch\//.test(m))).toEqual([]);
    expect(SEARCH_BUNDLING.install).toContain('usearch');
  }, 60_000);

  it('a search bundle run outside the repository builds, saves, loads and searches a usearch index with the installed package', async () => {
    expect(await runSearchBundle(true)).toEqual({ size: 3, nearest: 2 });
  }, 60_000);

  it('a search bundle without the installed package says usearch is missing rather than crashing', async () => {
    expect(await runSearchBundle(false)).toMatchObject({ error: 'UnavailableError', message: expect.stringMatching(/usearch is not installed/) });
  }, 60_000);

  it('an embed-shard bundle with the decode worker beside it decodes photos in a worker, bit for bit as on its own thread', async () => {
    expect(DECODE_WORKER_BUNDLE.file).toBe(DECODE_WORKER_BUNDLE_FILE);
    expect(await runPhotoEmbedBundle(true, 'default')).toEqual({ rows: 70, differing: 0, worker: 'decode-worker.mjs', peakWorkers: expect.any(Number) });
    expect(await runPhotoEmbedBundle(true, '1')).toMatchObject({ rows: 70, differing: 0, peakWorkers: 1 });
  }, 120_000);

  it('an embed-shard bundle without the worker file decodes on its thread by default, and names the missing file when workers are asked for', async () => {
    expect(await runPhotoEmbedBundle(false, 'default')).toEqual({ rows: 70, differing: 0, worker: null, peakWorkers: 0 });
    expect(await runPhotoEmbedBundle(false, '1')).toMatchObject({
      error: 'UnavailableError', message: expect.stringMatching(/decode worker module is missing .*decode-worker\.mjs.*REVERIE_DECODE_WORKERS=0/),
    });
  }, 120_000);

  it('a runtime without a local engine (a Lambda handler) says how to start workflows', async () => {
    const runtime = createRuntime(loadConfig({ REVERIE_STORE: `file://${await tempDir()}` }));
    await expect(runtime.engine()).rejects.toThrow(ConfigError);
    await expect(runtime.engine()).rejects.toThrow(/REVERIE_ENGINE=aws/);
  });
});
