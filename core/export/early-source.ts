import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { IwmRecordSchema, type IwmRecord } from '../early/iwm-records.ts';
import { datasetsBatch, IWM_FILE, SR_FILE, summaryKey } from '../early/keys.ts';
import { SrRecordSchema, type SrRecord } from '../early/sr-records.ts';
import { EarlySummarySchema } from '../early/summary.ts';
import { readManifest } from '../store/batch.ts';
import { getJsonIfExists } from '../store/json.ts';
import type { Store } from '../store/store.ts';
import { MESSAGES_TYPE } from './chat-columns.ts';
import type { Column, Row } from './columns.ts';
import { committedJsonl } from './committed-lines.ts';
import { DatasetKind, type ExportSource } from './source.ts';

const COMMON: readonly Column[] = [
  { name: 'messages', type: MESSAGES_TYPE },
  { name: 'id', type: 'string' },
  { name: 'trajectory_id', type: 'string' },
  { name: 'step_index', type: 'int32' },
  { name: 'task_id', type: 'string' },
  { name: 'env', type: 'string' },
];

/** Implicit world modeling: SFT `messages` (predict the next state) and the transition it was branched from. */
export const IWM_COLUMNS: readonly Column[] = [
  ...COMMON,
  { name: 'kind', type: 'string' },
  { name: 'action', type: 'string' },
  { name: 'proposer', type: 'string' },
  { name: 'valid', type: 'bool' },
  { name: 'summariser', type: 'string' },
];

/** Self-reflection: SFT `messages` (reflect, then act as the expert did) and the alternatives that were compared. */
export const SR_COLUMNS: readonly Column[] = [
  ...COMMON,
  { name: 'expert_action', type: 'string' },
  { name: 'alternatives', type: { list: 'string' } },
  { name: 'reflection', type: { struct: [{ name: 'author', type: 'string' }, { name: 'by', type: 'string' }] } },
];

const common = (r: IwmRecord | SrRecord): Row => ({
  messages: r.messages, id: r.id, trajectory_id: r.trajectoryId, step_index: r.stepIndex, task_id: r.taskId, env: r.env,
});

export const iwmRow = (r: IwmRecord): Row => ({ ...common(r), kind: r.kind, action: r.action, proposer: r.proposer, valid: r.valid, summariser: r.summariser });
export const srRow = (r: SrRecord): Row => ({ ...common(r), expert_action: r.expertAction, alternatives: r.alternatives, reflection: r.reflection });

const CountsSchema = z.object({ iwmRecords: z.number().int(), srRecords: z.number().int() });

/** An early-experience run's IWM or SR dataset (`early/<run>/datasets/`), streamed from its committed batch. */
export async function earlySource(store: Store, runId: string, kind: typeof DatasetKind.iwm | typeof DatasetKind.sr): Promise<ExportSource> {
  const manifest = await readManifest(store, datasetsBatch(runId));
  const summary = await getJsonIfExists(store, summaryKey(runId), EarlySummarySchema);
  if (!manifest || !summary) throw new NotFoundError(`no early-experience datasets for run "${runId}" in ${store.uri} (the early-experience workflow writes them)`);
  const counts = CountsSchema.parse(manifest.meta);
  const how = kind === DatasetKind.iwm
    ? 'implicit world modeling: for each expert state and each of its alternative actions (the expert\'s and '
      + `${summary.k} alternatives from ${summary.alternativesFrom}), the chat messages that teach a policy to predict the next `
      + 'state the real environment showed'
    : `self-reflection: for each expert state, the policy's prompt and, as the target, a reflection by ${summary.reflectionsBy} `
      + 'comparing the expert action with the alternatives\' real outcomes, followed by the expert action';
  return {
    kind,
    id: runId,
    columns: kind === DatasetKind.iwm ? IWM_COLUMNS : SR_COLUMNS,
    rows: kind === DatasetKind.iwm ? counts.iwmRecords : counts.srRecords,
    description: `Early experience (Zhang et al., 2025) run \`${runId}\` on environment \`${summary.env}\`, from the expert `
      + `trajectories of dataset \`${summary.dataset}\` (${summary.expertTrajectories} trajectories, ${summary.expertStates} states): ${how}.`,
    provenance: { run: runId, env: summary.env, expertDataset: summary.dataset, k: summary.k, alternativesFrom: summary.alternativesFrom },
    async *batches() {
      if (kind === DatasetKind.iwm) {
        for await (const records of committedJsonl(store, manifest, IWM_FILE, IwmRecordSchema)) yield records.map(iwmRow);
      } else {
        for await (const records of committedJsonl(store, manifest, SR_FILE, SrRecordSchema)) yield records.map(srRow);
      }
    },
  };
}
