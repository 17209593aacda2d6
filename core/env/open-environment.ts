import { InvalidInputError } from '../errors.ts';
import { createAgentGymEnvironment } from './agentgym/agentgym-environment.ts';
import type { AgentGymEnvironment, AgentGymOptions } from './agentgym/agentgym-environment.ts';
import { createShopEnvironment } from './shop/shop-environment.ts';
import type { ShopEnvironment, ShopEnvironmentOptions } from './shop/shop-environment.ts';
import type { EnvironmentFactory } from './environment.ts';
import { environmentPlugin } from './environment-plugins.ts';

export interface OpenEnvironmentOptions {
  readonly shop?: ShopEnvironmentOptions;
  readonly agentgym?: Omit<AgentGymOptions, 'baseUrl'>;
}

/**
 * The environment a `--env` value names: `shop` for the built-in one, a registered plug-in's name, or the http(s)
 * base URL of an AgentGym server. Anything else is an InvalidInputError naming the value.
 *
 * @example
 * const env = openEnvironment(args.env, { shop: { seed: 1 }, agentgym: { retry: { retries: 5 } } });
 * if (env.label === 'shop') console.log(env.catalog.size);
 */
export function openEnvironment(
  spec: string,
  options: OpenEnvironmentOptions = {},
): ShopEnvironment | AgentGymEnvironment | EnvironmentFactory {
  const value = spec.trim();
  if (value === 'shop') return createShopEnvironment(options.shop);
  const plugin = environmentPlugin(value);
  if (plugin) return plugin.open(value);
  if (/^https?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new InvalidInputError(`--env "${spec}" looks like a URL but does not parse as one`);
    }
    return createAgentGymEnvironment({ ...options.agentgym, baseUrl: value });
  }
  throw new InvalidInputError(`--env must be "shop", the http(s) base URL of an AgentGym server or a registered plug-in (REVERIE_ENV_PLUGINS), got "${spec}"`);
}

/**
 * The label of the environment `openEnvironment(spec)` opens (`shop`, a plug-in's name, `agentgym`), known without
 * opening it: a synthetic boundary's stand-in carries it.
 *
 * @example
 * environmentLabel('http://localhost:36001'); // 'agentgym'
 */
export function environmentLabel(spec: string): string {
  const value = spec.trim();
  if (value === 'shop') return 'shop';
  return environmentPlugin(value)?.name ?? 'agentgym';
}
