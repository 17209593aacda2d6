import path from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../adapters/runtime.ts';
import { ConfigError, loadConfig } from '../../core/config/config.ts';
import { tempDir } from '../helpers/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCAL_ONLY = /node_modules\/(aws-local-stepfunctions|asl-validator|jsonata|@aws-sdk\/client-lambda)\/|workflows\/local-engine\.ts|functions\/local\.ts/;

/**
 * The modules a handler's bundle holds, bundled the way SST does (one ESM bundle per handler, dynamic imports
 * followed, onnxruntime-node external). rolldown stands in for SST's esbuild, which is not installed here; both
 * follow literal dynamic imports into the bundle.
 */
async function bundledModules(handler: string): Promise<string[]> {
  const out = await build({ input: path.join(ROOT, handler), platform: 'node', external: ['onnxruntime-node'], write: false, output: { format: 'esm' }, logLevel: 'silent' });
  return out.output.flatMap((chunk) => ('modules' in chunk ? Object.keys(chunk.modules) : []));
}

describe('Lambda bundles', () => {
  it.each(['functions/store/verify-batch.ts', 'functions/api/lambda.ts'])('%s holds no local engine', async (handler) => {
    const modules = await bundledModules(handler);
    expect(modules.some((m) => m.endsWith('adapters/runtime.ts'))).toBe(true);
    expect(modules.filter((m) => LOCAL_ONLY.test(m))).toEqual([]);
  }, 60_000);

  it('a runtime without a local engine (a Lambda handler) says how to start workflows', async () => {
    const runtime = createRuntime(loadConfig({ REVERIE_STORE: `file://${await tempDir()}` }));
    await expect(runtime.engine()).rejects.toThrow(ConfigError);
    await expect(runtime.engine()).rejects.toThrow(/REVERIE_ENGINE=aws/);
  });
});
