import type { EnvironmentRules } from '../../../env/experience-rules.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';
import { GENERIC_RULES } from './generic-rules.ts';

export type { EnvironmentRules } from '../../../env/experience-rules.ts';

/**
 * The rules for an environment as the user names it: its kind's `experienceRules` (the built-in shop's pages), or
 * the generic rules for a kind without them (AgentGym servers, plug-ins) and for no environment at all.
 *
 * @example
 * rulesForEnvironment('shop').name;                   // 'shop'
 * rulesForEnvironment('http://localhost:36001').name; // 'generic'
 */
export function rulesForEnvironment(env: string | undefined): EnvironmentRules {
  if (env === undefined || env.trim() === '') return GENERIC_RULES;
  return environmentKind(env).experienceRules ?? GENERIC_RULES;
}
