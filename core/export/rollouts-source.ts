import { z } from 'zod';
import { TRAJECTORIES_FILE } from '../dreamgym/rollout/group-store.ts';
import { TrajectorySchema } from '../dreamgym/rollout/trajectory.ts';
import { readRun } from '../dreamgym/train/run-record.ts';
import { runKeys } from '../dreamgym/train/run-keys.ts';
import { readManifest, type Manifest } from '../store/batch.ts';
import type { Store } from '../store/store.ts';
import { committedJsonl } from './committed-lines.ts';
import { DatasetKind, type ExportSource } from './source.ts';
import { artGroups, ROLLOUT_COLUMNS, rolloutRow } from './trajectory-rows.ts';

const BatchCountSchema = z.object({ trajectories: z.number().int().nonnegative() });

/**
 * The training batches of a DreamGym run (`dreamgym/runs/<run>/iterations/*\/batch`): every trajectory the policy
 * was updated on, with its reward and GRPO advantage, iteration by iteration.
 */
export async function rolloutsSource(store: Store, runId: string): Promise<ExportSource> {
  const run = await readRun(store, runId);
  const keys = runKeys(runId);
  const batches: { iteration: number; manifest: Manifest }[] = [];
  for (let iteration = 1; iteration <= run.input.iterations; iteration++) {
    const manifest = await readManifest(store, keys.batch(iteration));
    if (manifest) batches.push({ iteration, manifest });
  }
  const rows = batches.reduce((sum, b) => sum + BatchCountSchema.parse(b.manifest.meta).trajectories, 0);
  const context = { runId, env: run.input.env };
  return {
    kind: DatasetKind.rollouts,
    id: runId,
    columns: ROLLOUT_COLUMNS,
    rows,
    description: `The training batches of DreamGym run \`${runId}\` (mode ${run.input.mode}, ${run.input.iterations} iterations, `
      + `environment \`${run.input.env}\`): each row is one rollout the policy was updated on, sampled in groups of `
      + `${run.input.rolloutsPerGroup} per task, with the environment's or the experience model's outcome reward and the `
      + `group-relative (GRPO) advantage. \`extra_info.source\` says whether a rollout ran in the real environment or in the `
      + 'experience model.',
    provenance: { run: runId, createdAt: run.createdAt, mode: run.input.mode, env: run.input.env, iterations: batches.length, trainer: run.trainer },
    async *batches() {
      let index = 0;
      for (const { iteration, manifest } of batches) {
        for await (const trajectories of committedJsonl(store, manifest, TRAJECTORIES_FILE, TrajectorySchema)) {
          yield trajectories.map((t) => rolloutRow(t, { ...context, iteration, index: index++ }));
        }
      }
    },
    async *groups() {
      for (const { iteration, manifest } of batches) {
        const all = [];
        for await (const trajectories of committedJsonl(store, manifest, TRAJECTORIES_FILE, TrajectorySchema)) all.push(...trajectories);
        yield artGroups(all, { runId, iteration });
      }
    },
  };
}
