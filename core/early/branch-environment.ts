import { openEnvironment } from '../env/open-environment.ts';
import type { EnvironmentFactory } from '../env/environment.ts';

const opened = new Map<string, EnvironmentFactory>();

/**
 * The real environment a run branches in, opened once per process: building the shop's catalog and search index
 * takes tens of milliseconds, and every chunk of a run (every warm Lambda call) needs the same one.
 *
 * @example
 * const env = branchEnvironment('shop', 0);
 * const session = await env.open();
 */
export function branchEnvironment(spec: string, shopSeed: number): EnvironmentFactory {
  const key = `${spec}\n${shopSeed}`;
  let env = opened.get(key);
  if (!env) {
    env = openEnvironment(spec, { shop: { seed: shopSeed } });
    opened.set(key, env);
  }
  return env;
}
