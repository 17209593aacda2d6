import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../adapters/runtime.ts';
import { ConfigError, loadConfig } from '../../core/config/config.ts';
import { bundleExternals, SEARCH_BUNDLING } from '../../infra/bundling.ts';
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

  it('a runtime without a local engine (a Lambda handler) says how to start workflows', async () => {
    const runtime = createRuntime(loadConfig({ REVERIE_STORE: `file://${await tempDir()}` }));
    await expect(runtime.engine()).rejects.toThrow(ConfigError);
    await expect(runtime.engine()).rejects.toThrow(/REVERIE_ENGINE=aws/);
  });
});
