import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';
import { getJson } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { createBuiltinPolicy } from '../policy/builtin-policy.ts';
import { createLlmPolicy } from '../policy/llm-policy.ts';
import { BuiltinPolicyParamsSchema } from '../policy/params.ts';
import type { Policy } from '../policy/policy.ts';
import type { TrainDeps } from './deps.ts';
import type { DreamGymTrainInput } from './input.ts';
import { runKeys } from './run-keys.ts';
import { writeOnce } from './write-once.ts';
import { environmentKind } from '../../env/environment-kinds.ts';

export const LlmPolicyRefSchema = z.object({
  kind: z.literal('llm'),
  /** The model name to ask the policy endpoint for (an external trainer's new version, e.g. a LoRA name). */
  model: z.string().min(1),
});

/** The policy in force after an iteration (iteration 0: before training). */
export const StoredPolicySchema = z.object({
  iteration: z.number().int().nonnegative(),
  trained: z.boolean(),
  note: z.string().optional(),
  policy: z.discriminatedUnion('kind', [BuiltinPolicyParamsSchema, LlmPolicyRefSchema]),
});
export type StoredPolicy = z.infer<typeof StoredPolicySchema>;

export function writePolicy(store: Store, runId: string, stored: StoredPolicy): Promise<StoredPolicy> {
  return writeOnce(store, runKeys(runId).policy(stored.iteration), stored, StoredPolicySchema);
}

export function readPolicy(store: Store, runId: string, iteration: number): Promise<StoredPolicy> {
  return getJson(store, runKeys(runId).policy(iteration), StoredPolicySchema);
}

/**
 * The acting policy of a stored version: sampling for training rollouts, greedy (temperature 0) for evaluation.
 *
 * @example
 * const policy = openPolicy(await readPolicy(store, runId, 2), run.input, deps, 'rollout');
 */
export function openPolicy(
  stored: StoredPolicy,
  input: DreamGymTrainInput,
  deps: TrainDeps,
  purpose: 'rollout' | 'evaluation',
): Policy {
  const kind = environmentKind(input.env);
  const rules = kind.rules;
  if (stored.policy.kind === 'builtin') {
    return createBuiltinPolicy(stored.policy, { mode: purpose === 'rollout' ? 'sample' : 'greedy', rules, features: kind.policyFeatures });
  }
  const chat = deps.chat('policy', stored.policy.model);
  if (!chat) throw new InvalidInputError('the run has an LLM policy but no policy endpoint is configured (REVERIE_POLICY_BASE_URL)');
  const temperature = purpose === 'evaluation' ? 0 : input.policy.kind === 'llm' ? input.policy.temperature : 1;
  const maxTokens = input.policy.kind === 'llm' ? input.policy.maxTokens : undefined;
  return createLlmPolicy(chat, { rules, temperature, maxTokens });
}
