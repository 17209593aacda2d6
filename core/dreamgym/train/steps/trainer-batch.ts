import { committedJsonl } from '../../../export/committed-lines.ts';
import { parquetStream } from '../../../export/parquet-stream.ts';
import { ROLLOUT_COLUMNS, rolloutRow } from '../../../export/trajectory-rows.ts';
import { InvalidInputError } from '../../../errors.ts';
import { readManifest } from '../../../store/batch.ts';
import { joinKey } from '../../../store/keys.ts';
import { commitStreamedBatch } from '../../../store/streamed-batch.ts';
import { TRAJECTORIES_FILE } from '../../rollout/group-store.ts';
import { TrajectorySchema } from '../../rollout/trajectory.ts';
import type { TrainDeps } from '../deps.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';

export const TrainerBatchFormat = { parquet: 'parquet', jsonl: 'jsonl' } as const;
export type TrainerBatchFormat = (typeof TrainerBatchFormat)[keyof typeof TrainerBatchFormat];

const PARQUET_FILE = 'batch.parquet';

/**
 * The file an external trainer reads for an iteration, in the format the run's `trainer.format` names: Parquet in
 * verl's RL schema (with the whole episode, reward and advantage, as `reverie export rollouts:<run> --format parquet`
 * writes it) as `iterations/N/trainer/batch.parquet`, committed with a manifest; or the batch's own trajectory JSONL.
 * Written once: a re-run hand-off finds it committed and reuses it.
 *
 * @example
 * const { format, data } = await trainerBatchFile(runId, 3, runKeys(runId).batch(3), deps); // 'parquet', '…/trainer/batch.parquet'
 */
export async function trainerBatchFile(runId: string, iteration: number, batch: string, deps: TrainDeps): Promise<{ format: TrainerBatchFormat; data: string }> {
  const run = await readRun(deps.store, runId);
  const format = run.input.trainer.format;
  if (format === TrainerBatchFormat.jsonl) return { format, data: joinKey(batch, TRAJECTORIES_FILE) };
  const prefix = runKeys(runId).trainerBatch(iteration);
  const data = joinKey(prefix, PARQUET_FILE);
  if (await readManifest(deps.store, prefix)) return { format, data };
  const manifest = await readManifest(deps.store, batch);
  if (!manifest) throw new InvalidInputError(`training batch "${batch}" is not committed`);
  let rows = 0;
  await commitStreamedBatch(deps.store, prefix, async (put) => {
    await put(PARQUET_FILE, parquetStream(ROLLOUT_COLUMNS, (async function* () {
      for await (const trajectories of committedJsonl(deps.store, manifest, TRAJECTORIES_FILE, TrajectorySchema)) {
        yield trajectories.map((t) => rolloutRow(t, { runId, env: run.input.env, iteration, index: rows++ }));
      }
    })()));
    return { format, rows, batch };
  });
  return { format, data };
}
