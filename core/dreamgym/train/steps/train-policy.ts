import { z } from 'zod';
import { InvalidInputError } from '../../../errors.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import { grpoUpdate } from '../../rl/grpo-update.ts';
import { readCommittedTrajectories } from '../../rollout/group-store.ts';
import type { TrainDeps } from '../deps.ts';
import { readPolicy, StoredPolicySchema, writePolicy } from '../policy-store.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';

export const TrainResultSchema = z.object({
  iteration: z.number().int().min(1),
  trained: z.boolean(),
  /** The acting policy after the update: `builtin-v3`, or the external trainer's model name. */
  policyVersion: z.string(),
  note: z.string().optional(),
  stats: z.record(z.string(), z.number()).optional(),
});
export type TrainResult = z.infer<typeof TrainResultSchema>;

/**
 * The built-in trainer: one GRPO update of the built-in policy on the iteration's batch, written as the next policy
 * version (create-only: a re-run returns the stored version).
 *
 * @example
 * await trainBuiltinPolicy({ runId, iteration: 1 }, deps); // { trained: true, policyVersion: 'builtin-v1', … }
 */
export async function trainBuiltinPolicy(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<TrainResult> {
  const { runId, iteration } = input;
  const keys = runKeys(runId);
  const done = await getJsonIfExists(deps.store, keys.train(iteration), TrainResultSchema);
  if (done) return done;
  const run = await readRun(deps.store, runId);
  const previous = await readPolicy(deps.store, runId, iteration - 1);
  if (previous.policy.kind !== 'builtin' || run.input.policy.kind !== 'builtin') {
    throw new InvalidInputError(`run ${runId} does not have a built-in policy to train`);
  }
  const { optimizer, learningRate, epochs, clip, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind } = run.input.policy;
  const trajectories = await readCommittedTrajectories(deps.store, keys.batch(iteration));
  const { params, stats } = grpoUpdate(previous.policy, trajectories, {
    features: environmentKind(run.input.env).policyFeatures, optimizer, learningRate, epochs, clip, maxGradNorm, klCoefficient, turnDiscount, stepCredit, stepCreditKind,
  });
  const stored = await writePolicy(deps.store, runId, { iteration, trained: true, policy: params });
  return writeOnce(deps.store, keys.train(iteration), {
    iteration, trained: true, policyVersion: versionOf(stored), stats: { ...stats },
  }, TrainResultSchema);
}

/**
 * No trainer: the policy stays as it was (recorded as the next version, so every iteration has one), and the result
 * says the run only generates data.
 */
export async function skipTraining(input: { runId: string; iteration: number }, deps: TrainDeps): Promise<TrainResult> {
  const { runId, iteration } = input;
  const note = 'no trainer configured: the batch is stored for training elsewhere; the policy is unchanged';
  const previous = await readPolicy(deps.store, runId, iteration - 1);
  const stored = await writePolicy(deps.store, runId, { iteration, trained: false, note, policy: previous.policy });
  return writeOnce(deps.store, runKeys(runId).train(iteration), {
    iteration, trained: false, policyVersion: versionOf(stored), note,
  }, TrainResultSchema);
}

export function versionOf(stored: z.infer<typeof StoredPolicySchema>): string {
  return stored.policy.kind === 'builtin' ? `builtin-v${stored.policy.version}` : stored.policy.model;
}
