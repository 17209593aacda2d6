import type { EnvironmentKind } from '../environment-kind.ts';
import { textPolicyFeatures } from '../text-features.ts';
import { createRecordedStateReader } from './recorded-state-reader.ts';
import { agentGymDataKey, type AgentGymSpec } from './spec.ts';

const AGENTGYM_RULES = 'You act in a text environment. Each turn you see the current state; reply with one action.';

/**
 * What Reverie knows of an AgentGym server's interface, from its profile: the profile's policy features (text
 * features where it has none), its curriculum variation where it has one, and predicted states read as the server
 * offered them in recorded data or as the profile reads their text. A predicted invalid action ends a synthetic
 * episode only under local filtering, since the server otherwise answers it itself (WebShop: the same page).
 *
 * @example
 * agentGymKind(parseAgentGymSpec('http://localhost:36002#profile=alfworld')).policyFeatures.featureSet; // 'alfworld-v1'
 */
export function agentGymKind(spec: AgentGymSpec): EnvironmentKind {
  const { profile } = spec;
  return {
    name: profile.name,
    dataKey: agentGymDataKey(spec),
    rules: AGENTGYM_RULES,
    policyFeatures: profile.features ?? textPolicyFeatures,
    curriculum: profile.curriculum,
    experienceKnowledge: profile.experienceKnowledge,
    stateAgreement: profile.stateAgreement,
    syntheticStates: (known) => ({
      reader: createRecordedStateReader(known, profile), invalidEnds: spec.filterInvalid, instructionFrom: profile.instructionFrom,
    }),
  };
}
