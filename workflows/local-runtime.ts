import { createRuntime, type Runtime, type RuntimeOverrides } from '../adapters/runtime.ts';
import type { Config } from '../core/config/config.ts';
import { LocalWorkflowEngine } from './local-engine.ts';

/**
 * A runtime whose engine is the in-process one unless REVERIE_ENGINE=aws: what the CLI, `reverie serve` and the
 * benchmarks use. Lambda handlers use `getRuntime()`, which has no local engine.
 */
export function createLocalRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  return createRuntime(config, {
    ...overrides,
    engine: overrides.engine ?? (async (runtime) => {
      if (runtime.config.engine === 'aws') {
        const { SfnWorkflowEngine } = await import('../adapters/sfn-engine.ts');
        return new SfnWorkflowEngine(runtime.config, runtime.store);
      }
      return new LocalWorkflowEngine(runtime);
    }),
  });
}
