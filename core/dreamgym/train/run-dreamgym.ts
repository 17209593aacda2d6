import { DataCorruptError, describeError, InvalidInputError, NotFoundError } from '../../errors.ts';
import type { TrainDeps } from './deps.ts';
import type { DreamGymTrainInputRaw } from './input.ts';
import { aggregateIteration } from './steps/aggregate.ts';
import { updateCurriculumStep } from './steps/curriculum.ts';
import { evaluatePolicyStep } from './steps/evaluate.ts';
import { initialiseRun, TrainStep } from './steps/initialise.ts';
import type { RunHandle } from './steps/initialise.ts';
import { appendToReplay } from './steps/replay.ts';
import { runRolloutGroupStep } from './steps/rollout-group.ts';
import { recordGroupFailure } from './steps/group-outcomes.ts';
import { sampleIteration } from './steps/sample.ts';
import { summarizeRun } from './steps/summarize.ts';
import type { DreamGymSummary } from './steps/summarize.ts';
import { handOffToTrainer } from './steps/trainer-handoff.ts';
import { skipTraining, trainBuiltinPolicy } from './steps/train-policy.ts';
import type { TrainResult } from './steps/train-policy.ts';
import type { BatchHandle } from './steps/aggregate.ts';

export interface RunDreamGymOptions {
  /** Attempts per group before it is recorded as failed, as the workflow's Retry; 3 by default. */
  readonly groupAttempts?: number;
  /** Called after each iteration with its batch and training result. */
  readonly onIteration?: (progress: { iteration: number; batch: BatchHandle; train: TrainResult; successRate?: number }) => void;
}

/**
 * Runs a DreamGym training run in this process: the same step functions, in the same order and with the same retry
 * and failure rules, as the `dreamgym-train` workflow (which runs them as Lambdas on AWS). For the CLI, benchmarks
 * and anything that wants a summary without a workflow engine.
 *
 * @example
 * const summary = await runDreamGym({ mode: 's2r', iterations: 10, experienceModel: { kind: 'builtin' } }, deps);
 * console.log(summary.realSuccessBefore, summary.realSuccessAfter, summary.realInteractions);
 */
export async function runDreamGym(
  raw: DreamGymTrainInputRaw,
  deps: TrainDeps,
  options: RunDreamGymOptions = {},
): Promise<DreamGymSummary> {
  const run = await initialiseRun(raw, deps);
  const { runId } = run;
  await evaluatePolicyStep({ runId, iteration: 0 }, deps);
  for (let iteration = 1; iteration <= run.iterations; iteration++) {
    const plan = await sampleIteration({ runId, iteration }, deps);
    await mapLimited(plan.groups, run.maxConcurrency, (groupIndex) =>
      rolloutGroupWithRetry({ runId, iteration, groupIndex }, deps, options.groupAttempts ?? 3));
    const batch = await aggregateIteration({ runId, iteration }, deps);
    await appendToReplay({ runId, iteration }, deps);
    const train = await trainStep(run, batch, deps);
    await updateCurriculumStep({ runId, iteration }, deps);
    const evaluation = await evaluatePolicyStep({ runId, iteration }, deps);
    options.onIteration?.({ iteration, batch, train, successRate: evaluation.successRate });
  }
  return summarizeRun({ runId }, deps);
}

function trainStep(run: RunHandle, batch: BatchHandle, deps: TrainDeps): Promise<TrainResult> {
  const input = { runId: run.runId, iteration: batch.iteration };
  switch (run.trainStep) {
    case TrainStep.builtin:
      return trainBuiltinPolicy(input, deps);
    case TrainStep.externalStore:
      return handOffToTrainer({ ...input, request: batch.handoff! }, deps);
    case TrainStep.externalTaskToken:
      throw new InvalidInputError('the task-token hand-off runs on AWS Step Functions only; use trainer.handoff "store" in-process');
    case TrainStep.none:
      return skipTraining(input, deps);
  }
}

/**
 * The Map iteration with its Retry and Catch: bad input and missing data fail at once, anything else is retried; a
 * group that still fails is recorded in the store, as the workflow's Catch does.
 */
async function rolloutGroupWithRetry(
  input: { runId: string; iteration: number; groupIndex: number },
  deps: TrainDeps,
  attempts: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runRolloutGroupStep(input, deps);
      return;
    } catch (error) {
      const permanent = error instanceof InvalidInputError || error instanceof NotFoundError || error instanceof DataCorruptError;
      if (permanent || attempt >= attempts) {
        await recordGroupFailure(deps.store, { ...input, error: (error as Error)?.name ?? 'Error', cause: describeError(error) });
        return;
      }
    }
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
