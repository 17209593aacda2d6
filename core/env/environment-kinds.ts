import { hashSeed } from '../random.ts';
import { agentGymKind } from './agentgym/agentgym-kind.ts';
import { parseAgentGymSpec } from './agentgym/spec.ts';
import type { EnvironmentKind } from './environment-kind.ts';
import { environmentPlugin } from './environment-plugins.ts';
import { shopKind } from './shop/shop-kind.ts';

/**
 * The environment kind a `--env` value names: the built-in shop's, a registered plug-in's, or the AgentGym
 * profile's the spec selects.
 *
 * @example
 * environmentKind('http://localhost:36002#profile=alfworld').name; // 'alfworld'
 */
export function environmentKind(spec: string): EnvironmentKind {
  const value = spec.trim();
  if (value === 'shop') return shopKind;
  return environmentPlugin(value)?.kind ?? agentGymKind(parseAgentGymSpec(value));
}

/**
 * A short key naming the environment a spec opens, for ids derived from it (datasets, replay buffers): the kind's
 * `dataKey` (its name by default), e.g. `shop` or `webshop-k3j9x0`; a plug-in's name, with a hash of the whole spec
 * when the spec says more than the name (`line:wide`). Two environments never share one.
 *
 * @example
 * environmentDataKey('shop'); // 'shop'
 * environmentDataKey('http://localhost:36002#profile=alfworld'); // 'alfworld-…'
 */
export function environmentDataKey(spec: string): string {
  const value = spec.trim();
  const plugin = environmentPlugin(value);
  if (plugin) return value === plugin.name ? plugin.name : `${plugin.name}-${(hashSeed(value) >>> 0).toString(36)}`;
  const kind = environmentKind(value);
  return kind.dataKey ?? kind.name;
}
