import type { Trajectory } from '../dreamgym/rollout/trajectory.ts';
import type { ArtTrajectoryGroup } from './source.ts';
import { MESSAGES_TYPE, ruleReward, verlRlColumns } from './chat-columns.ts';
import type { Column, Row } from './columns.ts';

/**
 * A DreamGym rollout as one row: verl's RL columns (the prompt is the context before the policy's first turn), then
 * the whole episode as chat `messages` (TRL, verl multi-turn SFT), `turns` aligned with them telling context from
 * trainable turns with each step's action, reward and log-probability, and the outcome `reward`, GRPO `advantage`
 * and `metrics`.
 */
export const ROLLOUT_COLUMNS: readonly Column[] = [
  ...verlRlColumns([
    { name: 'index', type: 'int64' },
    { name: 'split', type: 'string' },
    { name: 'trajectory_id', type: 'string' },
    { name: 'run_id', type: 'string' },
    { name: 'iteration', type: 'int32' },
    { name: 'task_id', type: 'string' },
    { name: 'instruction', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'policy_version', type: 'string' },
    { name: 'rollout', type: 'int32' },
    { name: 'seed', type: 'int64' },
  ]),
  { name: 'messages', type: MESSAGES_TYPE },
  {
    name: 'turns',
    type: {
      list: {
        struct: [
          { name: 'type', type: 'string' },
          { name: 'action', type: 'string', optional: true },
          { name: 'state', type: 'string', optional: true },
          { name: 'next_state', type: 'string', optional: true },
          { name: 'reward', type: 'float64', optional: true },
          { name: 'valid', type: 'bool', optional: true },
          { name: 'done', type: 'bool', optional: true },
          { name: 'log_prob', type: 'float64', optional: true },
        ],
      },
    },
  },
  { name: 'reward', type: 'float64' },
  { name: 'advantage', type: 'float64', optional: true },
  {
    name: 'metrics',
    type: {
      struct: [
        { name: 'steps', type: 'int32' },
        { name: 'success', type: 'bool' },
        { name: 'invalid_actions', type: 'int32' },
        { name: 'unparseable_actions', type: 'int32' },
        { name: 'unreadable_states', type: 'int32' },
        { name: 'truncated', type: 'bool' },
      ],
    },
  },
];

/** The row of one rollout; `index` is its position in the export, `iteration` the one it was sampled in. */
export function rolloutRow(t: Trajectory, context: { runId: string; env: string; iteration: number; index: number }): Row {
  const firstTrainable = t.messages.findIndex((m) => m.type === 'trainable');
  const prompt = (firstTrainable === -1 ? t.messages : t.messages.slice(0, firstTrainable)).map(({ role, content }) => ({ role, content }));
  const task = t.metadata.task as { goal?: unknown } | undefined;
  return {
    data_source: `reverie/dreamgym/${context.env}`,
    prompt,
    ability: 'agent',
    reward_model: ruleReward(task?.goal),
    extra_info: {
      index: context.index, split: 'train', trajectory_id: t.id, run_id: context.runId, iteration: context.iteration,
      task_id: t.metadata.taskId, instruction: t.metadata.instruction, source: t.metadata.source,
      policy_version: t.metadata.policyVersion, rollout: t.metadata.rollout, seed: t.metadata.seed,
    },
    messages: t.messages.map(({ role, content }) => ({ role, content })),
    turns: t.messages.map((m) => m.type === 'context'
      ? { type: 'context', action: null, state: null, next_state: null, reward: null, valid: null, done: null, log_prob: null }
      : { type: 'trainable', action: m.action, state: m.state, next_state: m.nextState, reward: m.reward, valid: m.valid, done: m.done, log_prob: m.logProb ?? null }),
    reward: t.reward,
    advantage: t.advantage ?? null,
    metrics: {
      steps: t.metrics.steps, success: t.metrics.success, invalid_actions: t.metrics.invalidActions,
      unparseable_actions: t.metrics.unparseableActions, unreadable_states: t.metrics.unreadableStates, truncated: t.metrics.truncated,
    },
  };
}

/**
 * Rollouts as ART trajectory groups: context turns as chat messages, the policy's turns as `Choice` objects (how ART
 * tells trainable turns apart), numeric metrics and scalar metadata. Trajectories group by task within an iteration.
 */
export function artGroups(trajectories: readonly Trajectory[], context: { runId: string; iteration: number }): ArtTrajectoryGroup[] {
  const byGroup = new Map<string, Trajectory[]>();
  for (const t of trajectories) {
    const group = t.id.split('/').slice(0, -1).join('/') || t.metadata.taskId;
    byGroup.set(group, [...(byGroup.get(group) ?? []), t]);
  }
  return [...byGroup.values()].map((members) => ({
    trajectories: members.map((t) => ({
      messages_and_choices: t.messages.map((m) => m.type === 'context'
        ? { role: m.role, content: m.content }
        : { finish_reason: 'stop', index: 0, message: { role: 'assistant', content: m.content }, logprobs: null }),
      reward: t.reward,
      metrics: { ...t.metrics, advantage: t.advantage ?? 0 },
      metadata: {
        trajectory_id: t.id, task_id: t.metadata.taskId, source: t.metadata.source, policy_version: t.metadata.policyVersion,
        rollout: t.metadata.rollout, seed: t.metadata.seed,
      },
    })),
    metadata: { run_id: context.runId, iteration: context.iteration, task_id: members[0]!.metadata.taskId, instruction: members[0]!.metadata.instruction },
  }));
}
