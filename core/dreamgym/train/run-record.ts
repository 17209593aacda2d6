import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import { environmentKind } from '../../env/environment-kinds.ts';
import { getJsonIfExists } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { DreamGymTrainInputSchema } from './input.ts';
import type { DreamGymTrainInput } from './input.ts';
import { runKeys } from './run-keys.ts';

export const TrainerKind = { builtin: 'builtin', external: 'external', none: 'none' } as const;
export type TrainerKind = (typeof TrainerKind)[keyof typeof TrainerKind];

/**
 * A stored input's built-in policy without an `optimizer` was written before Adam became the default, when every
 * step was plain gradient ascent: it keeps meaning sgd (at the learning rate it stored), so a run in flight across
 * an upgrade trains on as it started. Inputs written since always store their optimizer.
 */
function storedBeforeAdam(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const policy = (input as { policy?: unknown }).policy;
  if (typeof policy !== 'object' || policy === null) return input;
  const { kind, optimizer } = policy as { kind?: unknown; optimizer?: unknown };
  if ((kind !== undefined && kind !== 'builtin') || optimizer !== undefined) return input;
  return { ...input, policy: { ...policy, optimizer: 'sgd' } };
}

/** A run as `run.json` keeps it: the checked input plus what was resolved from it at the start. */
export const RunRecordSchema = z.object({
  runId: z.string(),
  createdAt: z.string(),
  input: z.preprocess(storedBeforeAdam, DreamGymTrainInputSchema),
  trainer: z.enum(TrainerKind),
  /** Things a reader of the summary must know (e.g. "no trainer configured: data only"). */
  notes: z.array(z.string()),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export async function readRun(store: Store, runId: string): Promise<RunRecord> {
  const run = await getJsonIfExists(store, runKeys(runId).run, RunRecordSchema);
  if (!run) throw new NotFoundError(`no DreamGym training run "${runId}" in ${store.uri}`);
  return run;
}

/** Where iteration `i` (1-based) rolls out: s2r runs its last `realIterations` in the real environment. */
export function iterationSource(input: DreamGymTrainInput, iteration: number): 'synthetic' | 'real' {
  if (input.mode === 'real') return 'real';
  if (input.mode === 'synthetic') return 'synthetic';
  return iteration > input.iterations - input.s2r.realIterations ? 'real' : 'synthetic';
}

/**
 * The most real interactions one rollout can make: its reset and at most the steps the environment's kind allows
 * with the run's configured limit (`maxSteps`), never more than the rollout's own turn limit.
 */
export function rolloutInteractionBound(input: DreamGymTrainInput): number {
  const steps = environmentKind(input.env).maxSteps?.(input.shop.maxSteps) ?? MAX_TURNS;
  return 1 + Math.min(steps, MAX_TURNS);
}

/** The rollout's own turn limit (`runRollout`'s default), the step bound of an environment that sets none. */
const MAX_TURNS = 100;

export function iterationGroupCount(input: DreamGymTrainInput, iteration: number): number {
  if (input.mode === 's2r' && iterationSource(input, iteration) === 'real') {
    return input.s2r.realGroups ?? input.groupsPerIteration;
  }
  return input.groupsPerIteration;
}
