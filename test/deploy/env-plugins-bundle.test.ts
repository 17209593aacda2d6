import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { functionSpec } from '../../functions/catalog.ts';
import { bundleExternals, TASK_BUNDLING } from '../../infra/bundling.ts';
import { bundleEnvPlugin, envPluginDestination, envPluginEntries, envPluginsFor } from '../../infra/env-plugins.ts';
import { tempDir } from '../helpers/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PLUGIN = 'test/fixtures/line-env/index.ts';
const HANDLER = 'functions/dreamgym-train/initialise.ts';
const EVENT = { runId: 'on-lambda', env: 'line', mode: 'real', iterations: 1, tasks: { trainCount: 5, evalCount: 5 }, curriculum: { enabled: false } };

/**
 * A function package as the deploy makes it, in a temp dir outside the repository: the handler bundled as SST does
 * (one ESM file, TASK_BUNDLING's externals) and, when asked, the plug-in bundled by infra/env-plugins.ts into
 * `env-plugins/`. Invokes the handler there once, as Lambda would (LAMBDA_TASK_ROOT the package root).
 */
async function invokeInPackage(withPlugin: boolean): Promise<{ dir: string; result: Record<string, any> }> {
  const dir = await tempDir('reverie-plugin-bundle-');
  const file = HANDLER.replace(/\.ts$/, '.mjs');
  await build({
    input: path.join(ROOT, HANDLER), platform: 'node', external: bundleExternals(TASK_BUNDLING),
    output: { format: 'esm', file: path.join(dir, file), codeSplitting: false }, logLevel: 'silent',
  });
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: dir, REVERIE_STORE: `file://${dir}/store` };
  if (withPlugin) {
    await bundleEnvPlugin(path.join(ROOT, PLUGIN), path.join(dir, envPluginDestination(PLUGIN)));
    env.REVERIE_ENV_PLUGINS = envPluginsFor({ environments: true }, PLUGIN).environment.REVERIE_ENV_PLUGINS;
  }
  const run = spawnSync(process.execPath, [path.join(ROOT, 'test/deploy/fixtures/lambda-invoke.mjs'), file, JSON.stringify(EVENT)], {
    cwd: dir, encoding: 'utf8', timeout: 120_000, env,
  });
  expect(run.status, run.stderr).toBe(0);
  return { dir, result: JSON.parse(run.stdout.trim().split('\n').at(-1)!) };
}

describe('environment plug-ins on Lambda', () => {
  it('ship as env-plugins/<name>.mjs with REVERIE_ENV_PLUGINS naming them, to the functions that open environments only', () => {
    const list = `${PLUGIN}, envs/grid.ts`;
    expect(envPluginsFor(functionSpec('dreamgym-train-rollout-group')!, list)).toEqual({
      files: [{ entry: PLUGIN, to: 'env-plugins/line-env.mjs' }, { entry: 'envs/grid.ts', to: 'env-plugins/grid.mjs' }],
      environment: { REVERIE_ENV_PLUGINS: 'env-plugins/line-env.mjs,env-plugins/grid.mjs' },
    });
    // Two plug-in folders, each with its index module, ship side by side (were both refused as env-plugins/index.mjs)
    expect(envPluginsFor(functionSpec('dreamgym-train-rollout-group')!, 'envs/grid/index.ts,envs/maze/index.mts').files.map((f) => f.to))
      .toEqual(['env-plugins/grid.mjs', 'env-plugins/maze.mjs']);
    expect(envPluginsFor(functionSpec('backfill-plan')!, list)).toEqual({ files: [], environment: {} });
    expect(() => envPluginEntries('a/grid.ts,b/grid.mjs')).toThrow(/both ship as env-plugins\/grid\.mjs/);
  });

  it('a bundled handler with the plug-in beside it loads it at its cold start and lists the plug-in\'s tasks', async () => {
    const { dir, result } = await invokeInPackage(true);
    expect(result.error, result.message).toBeUndefined();
    expect(result.output).toMatchObject({ runId: 'on-lambda' });
    const setup = JSON.parse(await fs.readFile(path.join(dir, 'store/dreamgym/runs/on-lambda/setup/train-tasks.json'), 'utf8'));
    expect(setup.tasks.map((t: { id: string }) => t.id)).toEqual(['line-0', 'line-1', 'line-2', 'line-3', 'line-4']);
  }, 120_000);

  it('a bundled handler without the plug-in refuses the environment by name, without a stack trace', async () => {
    const { result } = await invokeInPackage(false);
    expect(result).toMatchObject({ error: 'InvalidInputError', message: expect.stringMatching(/registered plug-in's name \(REVERIE_ENV_PLUGINS\)/) });
  }, 120_000);
});
