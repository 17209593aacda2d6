import { recordLlmUsage } from '../../../llm/usage-records.ts';
import { randomBytes } from 'node:crypto';
import { ConflictError, InvalidInputError } from '../../../errors.ts';
import { initialBuiltinParams } from '../../policy/params.ts';
import { OPTIMIZER_DEFAULTS } from '../../rl/optimizer.ts';
import type { TrainDeps } from '../deps.ts';
import { registeredExperienceModels } from '../experience-models.ts';
import { DreamGymTrainInputSchema } from '../input.ts';
import type { DreamGymTrainInput, DreamGymTrainInputRaw } from '../input.ts';
import { writePolicy } from '../policy-store.ts';
import { RunRecordSchema } from '../run-record.ts';
import type { RunRecord, TrainerKind } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { runTaskPlan, setUpRun } from './setup-run.ts';
import { environmentKind } from '../../../env/environment-kinds.ts';

/** Which Task state trains: the workflow's Choice reads it. */
export const TrainStep = {
  builtin: 'builtin',
  externalStore: 'external-store',
  externalTaskToken: 'external-task-token',
  none: 'none',
} as const;
export type TrainStep = (typeof TrainStep)[keyof typeof TrainStep];

/** The small handle every later step receives (the state payload stays small; the run lives in the store). */
export interface RunHandle {
  readonly runId: string;
  readonly iterations: number;
  readonly maxConcurrency: number;
  readonly trainStep: TrainStep;
}

/**
 * Checks a run's input, resolves its trainer, and writes `run.json`, the run's set-up (task lists, offline data:
 * `setUpRun`) and the initial policy (all create-only: the same run id resumes the same run, a different input
 * under that id is refused).
 *
 * @example
 * const handle = await initialiseRun({ mode: 'synthetic', iterations: 10 }, deps);
 */
export async function initialiseRun(raw: DreamGymTrainInputRaw, deps: TrainDeps, now = new Date()): Promise<RunHandle> {
  const parsed = DreamGymTrainInputSchema.parse(raw);
  // The task counts are resolved (defaults capped at the ranges) and checked before the run is stored; re-parsed so
  // the stored input keeps the schema's key order, as a run stored with explicit counts has it.
  const { trainCount, evalCount } = runTaskPlan(parsed);
  // The built-in policy's step size and KL coefficient are resolved too (their defaults depend on the optimizer).
  const policy = parsed.policy.kind === 'builtin'
    ? {
      ...parsed.policy,
      learningRate: parsed.policy.learningRate ?? OPTIMIZER_DEFAULTS[parsed.policy.optimizer].learningRate,
      klCoefficient: parsed.policy.klCoefficient ?? OPTIMIZER_DEFAULTS[parsed.policy.optimizer].klCoefficient,
    }
    : parsed.policy;
  const input = DreamGymTrainInputSchema.parse({ ...parsed, tasks: { ...parsed.tasks, trainCount, evalCount }, policy });
  const runId = input.runId ?? `dg-${input.mode}-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const { trainer, notes } = resolveTrainer(input, deps);
  checkRunnable(input, deps);
  if (trainer === 'external' && input.trainer.handoff === 'store' && deps.onStepFunctions === true) {
    throw new InvalidInputError('trainer.handoff "store" waits for the trainer\'s reply inside one Lambda, which stops after 15 minutes; '
      + 'on AWS use "task-token" (or "auto"): the trainer answers with SendTaskSuccess and heartbeats while it trains');
  }
  const record: RunRecord = { runId, createdAt: now.toISOString(), input: { ...input, runId }, trainer, notes };
  const stored = await writeOnce(deps.store, runKeys(runId).run, record, RunRecordSchema);
  if (JSON.stringify(stored.input) !== JSON.stringify(record.input)) {
    throw new ConflictError(`run "${runId}" already exists with a different input; choose another run id`);
  }
  await recordLlmUsage(deps.store, runKeys(runId).llm(0, 'setup'), () => setUpRun(stored, deps));
  const chat = deps.chat('policy');
  await writePolicy(deps.store, runId, {
    iteration: 0,
    trained: false,
    policy: input.policy.kind === 'builtin' ? initialBuiltinParams(environmentKind(input.env).policyFeatures.featureSet) : { kind: 'llm', model: chat!.model },
  });
  const { handoff } = stored.input.trainer;
  const taskToken = handoff === 'task-token' || (handoff === 'auto' && deps.onStepFunctions === true);
  const trainStep: TrainStep = stored.trainer === 'external'
    ? (taskToken ? TrainStep.externalTaskToken : TrainStep.externalStore)
    : stored.trainer;
  return { runId, iterations: input.iterations, maxConcurrency: input.maxConcurrency, trainStep };
}

function resolveTrainer(input: DreamGymTrainInput, deps: TrainDeps): { trainer: TrainerKind; notes: string[] } {
  const { kind } = input.trainer;
  const llm = input.policy.kind === 'llm';
  if (kind === 'builtin' && llm) throw new InvalidInputError('trainer "builtin" trains the built-in policy only; an LLM policy needs an external trainer');
  if (kind === 'external' && !llm) throw new InvalidInputError('trainer "external" is for LLM policies; the built-in policy trains in-process');
  const trainer: TrainerKind = kind !== 'auto' ? kind : !llm ? 'builtin' : deps.trainerConfigured ? 'external' : 'none';
  const notes = trainer === 'none'
    ? ['no trainer configured: the run generates and stores training data only; the policy does not change']
    : [];
  return { trainer, notes };
}

function checkRunnable(input: DreamGymTrainInput, deps: TrainDeps): void {
  if (input.mode === 's2r' && input.iterations <= input.s2r.realIterations) {
    throw new InvalidInputError(`s2r needs more iterations (${input.iterations}) than real ones (${input.s2r.realIterations})`);
  }
  if (input.mode !== 'real' && !registeredExperienceModels().includes(input.experienceModel.kind)) {
    const known = registeredExperienceModels().join(', ') || 'none';
    throw new InvalidInputError(`${input.mode} runs need an experience model; "${input.experienceModel.kind}" is not registered (registered: ${known})`);
  }
  if (input.policy.kind === 'llm' && !deps.chat('policy')) {
    throw new InvalidInputError('policy "llm" needs a policy endpoint (REVERIE_POLICY_BASE_URL and REVERIE_POLICY_MODEL)');
  }
}
