import type { Column } from './columns.ts';

/** `list<struct<role, content>>`: chat messages as verl, TRL and Hugging Face chat templates read them. */
export const MESSAGES_TYPE = { list: { struct: [{ name: 'role', type: 'string' }, { name: 'content', type: 'string' }] } } as const;

/**
 * The columns verl's RL dataset reads (`data_source`, `prompt` as chat messages, `ability`, `reward_model` with
 * `style` and `ground_truth`, `extra_info`), given the kind's `extra_info` fields.
 */
export function verlRlColumns(extraInfo: readonly Column[]): Column[] {
  return [
    { name: 'data_source', type: 'string' },
    { name: 'prompt', type: MESSAGES_TYPE },
    { name: 'ability', type: 'string' },
    { name: 'reward_model', type: { struct: [{ name: 'style', type: 'string' }, { name: 'ground_truth', type: 'string' }] } },
    { name: 'extra_info', type: { struct: extraInfo } },
  ];
}

/** verl's reward_model for an agent task: a rule-based reward whose ground truth is the task's goal, as JSON. */
export function ruleReward(goal: unknown): { style: string; ground_truth: string } {
  return { style: 'rule', ground_truth: JSON.stringify(goal ?? null) };
}
