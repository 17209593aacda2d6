import { readOfflineDatasetInfo, offlineDatasetPrefix } from '../dreamgym/offline/dataset-store.ts';
import { TrajectoryRecordSchema, type TrajectoryRecord } from '../dreamgym/offline/trajectory-record.ts';
import { readManifest } from '../store/batch.ts';
import type { Store } from '../store/store.ts';
import { InvalidInputError } from '../errors.ts';
import { ruleReward, verlRlColumns } from './chat-columns.ts';
import type { Column, Row } from './columns.ts';
import { committedJsonl } from './committed-lines.ts';
import { DatasetKind, type ExportSource } from './source.ts';

/** An offline episode as one row: verl's RL columns for its task, then every real transition and the outcome. */
export const OFFLINE_COLUMNS: readonly Column[] = [
  ...verlRlColumns([
    { name: 'index', type: 'int64' },
    { name: 'split', type: 'string' },
    { name: 'trajectory_id', type: 'string' },
    { name: 'dataset', type: 'string' },
    { name: 'task_id', type: 'string' },
    { name: 'policy', type: 'string' },
    { name: 'seed', type: 'int64' },
  ]),
  {
    name: 'steps',
    type: {
      list: {
        struct: [
          { name: 'state', type: 'string' },
          { name: 'action', type: 'string' },
          { name: 'next_state', type: 'string' },
          { name: 'reward', type: 'float64' },
          { name: 'done', type: 'bool' },
          { name: 'valid', type: 'bool' },
          { name: 'admissible_actions', type: { list: 'string' }, optional: true },
        ],
      },
    },
  },
  { name: 'final_reward', type: 'float64' },
  { name: 'success', type: 'bool' },
];

export function offlineRow(r: TrajectoryRecord, context: { dataset: string; index: number }): Row {
  return {
    data_source: `reverie/offline/${r.env}`,
    prompt: [{ role: 'user', content: r.task.instruction }],
    ability: 'agent',
    reward_model: ruleReward(r.task.goal),
    extra_info: { index: context.index, split: 'train', trajectory_id: r.id, dataset: context.dataset, task_id: r.task.id, policy: r.policy, seed: r.seed },
    steps: r.steps.map((s) => ({
      state: s.state, action: s.action, next_state: s.nextState, reward: s.reward, done: s.done, valid: s.valid,
      admissible_actions: s.admissibleActions ?? null,
    })),
    final_reward: r.finalReward,
    success: r.success,
  };
}

/** An offline dataset (`dreamgym/offline/<id>`): real episodes by expert, noisy and random policies, part by part. */
export async function offlineSource(store: Store, id: string): Promise<ExportSource> {
  const info = await readOfflineDatasetInfo(store, id);
  return {
    kind: DatasetKind.offline,
    id,
    columns: OFFLINE_COLUMNS,
    rows: info.trajectories,
    description: `Offline episodes in the real environment \`${info.env}\` (dataset \`${id}\`, seed ${info.seed}), played by `
      + `policies in the plan ${JSON.stringify(info.plan)}: each row is one episode with every transition (state, action, `
      + `next state, reward) and its outcome. DreamGym seeds its replay buffer and the experience model's training set from them.`,
    provenance: { dataset: id, env: info.env, seed: info.seed, createdAt: info.createdAt, successRate: info.successRate },
    async *batches() {
      let index = 0;
      for (const part of info.parts) {
        const manifest = await readManifest(store, `${offlineDatasetPrefix(id)}/${part}`);
        if (!manifest) throw new InvalidInputError(`offline dataset "${id}" lists part "${part}", which is not committed`);
        for await (const records of committedJsonl(store, manifest, 'trajectories.jsonl', TrajectoryRecordSchema)) {
          yield records.map((r) => offlineRow(r, { dataset: id, index: index++ }));
        }
      }
    },
  };
}
