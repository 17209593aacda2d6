import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '../../adapters/runtime.ts';
import { loadConfig } from '../../core/config/config.ts';
import { silentLogger } from '../../core/log.ts';
import type { Store } from '../../core/store/store.ts';
import { LocalWorkflowEngine, type LocalEngineOptions } from '../../workflows/local-engine.ts';

/**
 * A fresh temporary folder under the test run's root (test/global-setup.ts removes it when the run ends).
 */
export async function tempDir(prefix = 'reverie-test-'): Promise<string> {
  return fs.mkdtemp(path.join(process.env.REVERIE_TEST_TMP ?? os.tmpdir(), prefix));
}

/**
 * A runtime over a fresh file store in a temp folder (or the given store), with a quiet logger and a local engine
 * whose Retry waits are shortened.
 */
export async function testRuntime(
  options: { store?: Store; env?: Record<string, string>; engine?: LocalEngineOptions } = {},
): Promise<Runtime & { root: string }> {
  const root = await tempDir();
  const config = loadConfig({ REVERIE_STORE: `file://${root}`, ...options.env });
  const runtime = createRuntime(config, {
    store: options.store,
    log: silentLogger,
    engine: async (rt) => new LocalWorkflowEngine(rt, { retryDelayMs: 5, saveIntervalMs: 50, ...options.engine }),
  });
  return Object.assign(runtime, { root });
}
