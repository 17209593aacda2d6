import { z } from 'zod';
import { addLlmUsage, LlmUsageSchema, type LlmUsage } from '../../../llm/accounting.ts';
import { readLlmUsage } from '../../../llm/usage-records.ts';
import { readManifest } from '../../../store/batch.ts';
import { getJson, getJsonIfExists, putJson } from '../../../store/json.ts';
import type { TrainDeps } from '../deps.ts';
import { TrainMode, type DreamGymTrainInput } from '../input.ts';
import { writeRunMetrics } from '../metrics/run-metrics.ts';
import { readRun, TrainerKind } from '../run-record.ts';
import { resolveS2rBudget, s2rBudgetNotes, type S2rBudget } from '../s2r-budget.ts';
import { runKeys } from '../run-keys.ts';
import { BatchStatsSchema } from './aggregate.ts';
import { CurriculumStateSchema } from './curriculum.ts';
import { EvaluationSchema } from './evaluate.ts';
import { IterationTasksSchema } from './sample.ts';
import { RunSetupSchema } from './setup-run.ts';

/**
 * What a run reports (`reverie dreamgym run --json`): the fields first, then what a reader needs to trust
 * them. Every interaction count is what a counting boundary measured: `realInteractions` the real accesses of
 * training iterations (resets, steps, restores; a synthetic iteration's boundary refuses every access),
 * `offlineInteractions` the real transitions of the offline data the experience model learned from,
 * `evaluationInteractions` the held-out evaluation's accesses (and listing its tasks), `setupInteractions` the
 * task listings before training.
 */
export const DreamGymSummarySchema = z.object({
  mode: z.enum(TrainMode),
  iterations: z.number().int(),
  syntheticRollouts: z.number().int(),
  realInteractions: z.number().int(),
  offlineInteractions: z.number().int(),
  evaluationInteractions: z.number().int(),
  realSuccessBefore: z.number().nullable(),
  realSuccessAfter: z.number().nullable(),
  /** [iteration, real success on the held-out tasks], iteration 0 being before training. */
  curve: z.array(z.tuple([z.number().int(), z.number()])),
  runId: z.string(),
  trainer: z.enum(TrainerKind),
  notes: z.array(z.string()),
  syntheticSteps: z.number().int(),
  failedGroups: z.number().int(),
  setupInteractions: z.number().int(),
  /** Held-out evaluation tasks, after removing goals that also occur among training or offline tasks. */
  evaluationTasks: z.number().int(),
  /** Listed evaluation tasks left out as duplicates of training or offline goals; null in a summary stored before it was kept. */
  evaluationDuplicatesRemoved: z.number().int().nullable().default(null),
  /**
   * The curriculum's variations and how many the real environment found infeasible, checked at evaluation only by
   * the environment kind's hook; null (and a note) where the kind cannot check.
   */
  curriculumVariations: z.number().int(),
  curriculumInfeasible: z.number().int().nullable(),
  /**
   * Curriculum variations dropped over the run because their goal repeated a held-out evaluation goal (never trained
   * on, so evaluation stays held out) or a training goal.
   */
  curriculumDuplicatesDropped: z.object({ evaluation: z.number().int(), training: z.number().int() }).default({ evaluation: 0, training: 0 }),
  /** S2R's budget of real interactions for its real phase (`realInteractions` never exceeds it); null for other modes. */
  realBudget: z.number().int().nullable().default(null),
  /** Mean outcome reward of each iteration's batch (synthetic rewards are the experience model's). */
  batchReward: z.array(z.tuple([z.number().int(), z.number()])),
  /** LLM calls, retries, schema failures, failures and tokens per role, measured by the clients during this run's steps. */
  llm: LlmUsageSchema.default({}),
});
export type DreamGymSummary = z.infer<typeof DreamGymSummarySchema>;

/**
 * Totals a run from what its steps stored, and writes `summary.json` and the run's tracker files (`metrics/`).
 *
 * @example
 * const summary = await summarizeRun({ runId }, deps); // { mode: 'synthetic', realSuccessAfter: 0.62, … }
 */
export async function summarizeRun(input: { runId: string }, deps: TrainDeps): Promise<DreamGymSummary> {
  const run = await readRun(deps.store, input.runId);
  const keys = runKeys(input.runId);
  const setup = await getJson(deps.store, keys.setup, RunSetupSchema);
  const totals = { syntheticRollouts: 0, realInteractions: 0, syntheticSteps: 0, failedGroups: 0, evaluationInteractions: setup.evaluationInteractions };
  let curriculum: { variations: number; infeasible: number | null; note?: string } = { variations: 0, infeasible: 0 };
  const duplicates = { evaluation: 0, training: 0 };
  const batchReward: [number, number][] = [];
  const curve: [number, number][] = [];
  const llm: LlmUsage[] = [];
  for (let iteration = 0; iteration <= run.input.iterations; iteration++) {
    llm.push(await readLlmUsage(deps.store, keys.llm(iteration)));
    const evaluation = await getJsonIfExists(deps.store, keys.evaluation(iteration), EvaluationSchema);
    if (evaluation?.successRate !== undefined) {
      curve.push([iteration, evaluation.successRate]);
      totals.evaluationInteractions += evaluation.interactions;
    }
    if (evaluation?.curriculum) curriculum = evaluation.curriculum;
    if (iteration === 0) continue;
    const state = await getJsonIfExists(deps.store, keys.curriculum(iteration), CurriculumStateSchema);
    duplicates.evaluation += state?.duplicatesDropped.evaluation ?? 0;
    duplicates.training += state?.duplicatesDropped.training ?? 0;
    const manifest = await readManifest(deps.store, keys.batch(iteration));
    if (!manifest) continue;
    const stats = BatchStatsSchema.parse(manifest.meta);
    totals.syntheticRollouts += stats.syntheticRollouts;
    totals.realInteractions += stats.realInteractions;
    totals.syntheticSteps += stats.syntheticSteps;
    totals.failedGroups += stats.failedGroups;
    batchReward.push([iteration, stats.meanReward]);
  }
  const budget = await plannedS2rBudget(run.input, input.runId, deps);
  const at = (iteration: number) => curve.find(([i]) => i === iteration)?.[1] ?? null;
  const summary: DreamGymSummary = {
    mode: run.input.mode,
    iterations: run.input.iterations,
    syntheticRollouts: totals.syntheticRollouts,
    realInteractions: totals.realInteractions,
    offlineInteractions: setup.offlineInteractions,
    evaluationInteractions: totals.evaluationInteractions,
    realSuccessBefore: at(0),
    realSuccessAfter: at(run.input.iterations),
    curve,
    runId: run.runId,
    trainer: run.trainer,
    notes: [...run.notes, ...s2rBudgetNotes(run.input, budget), ...(curriculum.note ? [curriculum.note] : [])],
    syntheticSteps: totals.syntheticSteps,
    failedGroups: totals.failedGroups,
    setupInteractions: setup.setupInteractions,
    evaluationTasks: setup.evaluationTasks,
    evaluationDuplicatesRemoved: setup.evaluationDuplicatesRemoved,
    curriculumVariations: curriculum.variations,
    curriculumInfeasible: curriculum.infeasible,
    curriculumDuplicatesDropped: duplicates,
    realBudget: budget?.total ?? null,
    batchReward,
    llm: addLlmUsage(...llm),
  };
  await putJson(deps.store, keys.summary, summary);
  await writeRunMetrics(deps.store, input.runId, summary);
  return summary;
}

/** S2R's budget as its first real iteration planned it (with the measured reference), or as the input alone sets it. */
async function plannedS2rBudget(input: DreamGymTrainInput, runId: string, deps: TrainDeps): Promise<S2rBudget | undefined> {
  if (input.mode !== 's2r') return undefined;
  const firstReal = input.iterations - input.s2r.realIterations + 1;
  const plan = await getJsonIfExists(deps.store, runKeys(runId).tasks(firstReal), IterationTasksSchema);
  const fallback = resolveS2rBudget(input, plan?.realBudget?.estimatedRealEnv)!;
  return plan?.realBudget ? { ...fallback, ...plan.realBudget } : fallback;
}
