import { z } from 'zod';
import type { LlmUsage } from '../../../llm/accounting.ts';
import { readLlmUsage } from '../../../llm/usage-records.ts';
import { readManifest } from '../../../store/batch.ts';
import { getJsonIfExists, getText } from '../../../store/json.ts';
import { joinKey } from '../../../store/keys.ts';
import type { Store } from '../../../store/store.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { EvaluationSchema } from '../steps/evaluate.ts';
import { TrainResultSchema } from '../steps/train-policy.ts';
import { metricsCsv, type MetricsRow } from './metrics-csv.ts';

/** Where a run's tracker files live: `dreamgym/runs/<run>/metrics/{iterations.jsonl,iterations.csv,run.json}`. */
export function metricsKeys(runId: string) {
  const root = joinKey(runKeys(runId).root, 'metrics');
  return { jsonl: joinKey(root, 'iterations.jsonl'), csv: joinKey(root, 'iterations.csv'), run: joinKey(root, 'run.json') };
}

// The batch's numeric counters, whatever the aggregate step records (new counters appear as new columns).
const BatchMetaSchema = z.record(z.string(), z.unknown());

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One row per iteration (step 0: the evaluation before training) from what the run's steps committed: the training
 * batch's counters under `train/` (trajectories, groups, mean reward, success, synthetic and real counts, steps), the
 * built-in trainer's update statistics under `policy/` (`policy/kl`: KL of the new policy to the previous one), the
 * held-out evaluation under `eval/`, LLM calls, retries, failures and tokens per role under `llm/<role>/` (every
 * step of the iteration; step 0: set-up and the first evaluation), and timings under `time/` from the commit times (`time/iteration_s`: from the
 * previous batch's commit, or the run's start, to this one's).
 *
 * @example
 * const rows = await runMetricsRows(store, 'run-1'); // [{ step: 0, 'eval/success_rate': 0.2, … }, { step: 1, 'train/mean_reward': 0.4, … }]
 */
export async function runMetricsRows(store: Store, runId: string): Promise<MetricsRow[]> {
  const run = await readRun(store, runId);
  const keys = runKeys(runId);
  const started = Date.parse(run.createdAt);
  let previous = started;
  const rows: MetricsRow[] = [];
  for (let step = 0; step <= run.input.iterations; step++) {
    const row: MetricsRow = { step };
    if (step > 0) {
      const batch = await readManifest(store, keys.batch(step));
      if (batch) {
        for (const [key, value] of Object.entries(BatchMetaSchema.parse(batch.meta))) {
          if (key === 'iteration') continue;
          if (typeof value === 'number' || typeof value === 'string') row[`train/${snake(key)}`] = value;
        }
        const steps = Number(batch.meta.syntheticSteps ?? 0) + Number(batch.meta.realInteractions ?? 0);
        const trajectories = Number(batch.meta.trajectories ?? 0);
        row['train/mean_steps'] = trajectories > 0 ? steps / trajectories : null;
        const committed = Date.parse(batch.committedAt);
        row['time/iteration_s'] = (committed - previous) / 1000;
        row['time/elapsed_s'] = (committed - started) / 1000;
        previous = committed;
      }
    }
    const trained = step > 0 ? await getJsonIfExists(store, keys.train(step), TrainResultSchema) : undefined;
    // The built-in trainer's update statistics (gradient norm, KL to the previous policy, clipped share)
    for (const [key, value] of Object.entries(trained?.stats ?? {})) row[`policy/${snake(key)}`] = value;
    Object.assign(row, llmMetrics(await readLlmUsage(store, keys.llm(step))));
    const evaluation = await getJsonIfExists(store, keys.evaluation(step), EvaluationSchema);
    if (evaluation?.evaluated) {
      row['eval/success_rate'] = evaluation.successRate ?? null;
      row['eval/mean_reward'] = evaluation.meanReward ?? null;
      row['eval/episodes'] = evaluation.episodes;
      row['eval/interactions'] = evaluation.interactions;
      if (evaluation.curriculum) {
        row['eval/curriculum_variations'] = evaluation.curriculum.variations;
        row['eval/curriculum_infeasible'] = evaluation.curriculum.infeasible;
      }
    }
    if (Object.keys(row).length > 1) rows.push(row);
  }
  return rows;
}

/** `llm/<role>/<counter>` columns of one iteration (`llm/experience/prompt_tokens`); none for roles that made no call. */
export function llmMetrics(usage: LlmUsage): Record<string, number> {
  const row: Record<string, number> = {};
  for (const [role, counts] of Object.entries(usage)) {
    for (const [field, value] of Object.entries(counts)) row[`llm/${role}/${snake(field)}`] = value;
  }
  return row;
}

/**
 * Writes the run's tracker files beside it: `iterations.jsonl` (one W&B-style row per line: `step` and flat keys),
 * the same rows as `iterations.csv` with a header, and `run.json` with the run summary's scalar fields as flat
 * `summary/` keys and the run's elapsed time (a tracker's run summary). They are derived from the committed records,
 * so writing them again gives the same rows.
 *
 * @example
 * await writeRunMetrics(store, 'run-1', summary); // run.json: { run_id, 'summary/real_success_after': 0.6, … }
 */
export async function writeRunMetrics(store: Store, runId: string, summary: Record<string, unknown>): Promise<MetricsRow[]> {
  const rows = await runMetricsRows(store, runId);
  const keys = metricsKeys(runId);
  const totals: Record<string, unknown> = { run_id: runId };
  for (const [key, value] of Object.entries(summary)) {
    if (['number', 'string', 'boolean'].includes(typeof value) || value === null) totals[`summary/${snake(key)}`] = value;
  }
  totals['time/elapsed_s'] = rows.findLast((r) => typeof r['time/elapsed_s'] === 'number')?.['time/elapsed_s'] ?? null;
  await store.put(keys.jsonl, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await store.put(keys.csv, metricsCsv(rows));
  await store.put(keys.run, `${JSON.stringify(totals, null, 2)}\n`);
  return rows;
}

const RowSchema = z.object({ step: z.number() }).catchall(z.union([z.number(), z.string(), z.boolean(), z.null()]));

/** A run's per-iteration metrics as written by `writeRunMetrics`, or undefined when the run has none yet. */
export async function readRunMetrics(store: Store, runId: string): Promise<MetricsRow[] | undefined> {
  const key = metricsKeys(runId).jsonl;
  if (!(await store.head(key))) return undefined;
  return (await getText(store, key)).split('\n').filter((l) => l.trim() !== '').map((l) => RowSchema.parse(JSON.parse(l)) as MetricsRow);
}
