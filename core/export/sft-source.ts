import { readSftDatasetInfo } from '../dreamgym/teacher/sft-dataset.ts';
import { SFT_RECORDS_FILE, sftChunkPrefix } from '../dreamgym/teacher/sft-keys.ts';
import { ExperienceSftRecordSchema, type ExperienceSftRecord } from '../dreamgym/teacher/sft-record.ts';
import { readManifest } from '../store/batch.ts';
import type { Store } from '../store/store.ts';
import { MESSAGES_TYPE } from './chat-columns.ts';
import type { Column, Row } from './columns.ts';
import { committedJsonl } from './committed-lines.ts';
import { DatasetKind, type ExportSource } from './source.ts';

/** verl's and TRL's SFT schema (`messages`), then where each transition came from. */
export const SFT_COLUMNS: readonly Column[] = [
  { name: 'messages', type: MESSAGES_TYPE },
  { name: 'id', type: 'string' },
  { name: 'trajectory_id', type: 'string' },
  { name: 'task_id', type: 'string' },
  { name: 'step_index', type: 'int32' },
  { name: 'env', type: 'string' },
  { name: 'policy', type: 'string' },
  { name: 'teacher_model', type: 'string' },
  { name: 'neighbours', type: { list: 'string' } },
];

export function sftRow(r: ExperienceSftRecord): Row {
  return {
    messages: r.messages, id: r.id, trajectory_id: r.trajectoryId, task_id: r.taskId, step_index: r.stepIndex, env: r.env,
    policy: r.policy, teacher_model: r.teacherModel, neighbours: r.neighbours,
  };
}

/** The experience model's SFT dataset (`dreamgym/sft/<id>`), chunk by chunk. */
export async function sftSource(store: Store, id: string): Promise<ExportSource> {
  const info = await readSftDatasetInfo(store, id);
  return {
    kind: DatasetKind.sft,
    id,
    columns: SFT_COLUMNS,
    rows: info.records,
    description: `The experience model's SFT dataset \`${id}\` (DreamGym Eq. 5): for each real transition of offline dataset `
      + `\`${info.source.dataset}\` (environment \`${info.source.env}\`), the experience model's prompt (rules, task, history, `
      + `the k most similar stored transitions, state, action) and, as the assistant turn, the teacher \`${info.teacherModel}\`'s `
      + `reasoning with the real next state, reward and done flag. ${info.skipped.length} transitions were skipped`
      + `${info.complete ? '' : ' and the dataset is not complete'}.`,
    provenance: { dataset: id, sourceDataset: info.source.dataset, env: info.source.env, teacherModel: info.teacherModel, complete: info.complete, finalisedAt: info.finalisedAt },
    async *batches() {
      for (let chunk = 0; chunk < info.chunks; chunk++) {
        const manifest = await readManifest(store, sftChunkPrefix(id, chunk));
        if (!manifest) continue;
        for await (const records of committedJsonl(store, manifest, SFT_RECORDS_FILE, ExperienceSftRecordSchema)) yield records.map(sftRow);
      }
    },
  };
}
