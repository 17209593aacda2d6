import type { Runtime } from '../../../adapters/runtime.ts';
import { createShopEnvironment } from '../../../core/dreamgym/env/shop/shop-environment.ts';
import { registerExperienceModel } from '../../../core/dreamgym/train/experience-models.ts';
import { oracleExperienceModel } from '../rollout/oracle-model.ts';
import type { OracleOptions } from '../rollout/oracle-model.ts';


/** Registers the exact test-double experience model under `kind` (the run's default shop, seed 1, unless told). */
export function registerOracle(kind: string, options: OracleOptions & { shopSeed?: number } = {}): void {
  registerExperienceModel(kind, async () => ({ model: oracleExperienceModel(createShopEnvironment({ seed: options.shopSeed ?? 1 }), options) }));
}

/** Runs the `dreamgym-train` workflow on the local engine and returns its output (throws with the error when it fails). */
export async function runTrainWorkflow(runtime: Runtime, input: unknown): Promise<unknown> {
  const engine = await runtime.engine();
  const { id } = await engine.start('dreamgym-train', input);
  const done = await engine.wait(id);
  if (done.status !== 'SUCCEEDED') throw new Error(`${done.error?.error}: ${done.error?.cause}`);
  return done.output;
}
