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
