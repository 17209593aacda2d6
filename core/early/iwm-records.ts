import { z } from 'zod';
import type { BranchOutcome, BranchRecord } from './branch-record.ts';
import type { StateSummariser } from './summarise-state.ts';

export const ChatMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

/**
 * One line of the implicit-world-modeling dataset: chat messages an SFT trainer reads directly (system: the task of
 * predicting the next state; user: task, state, action; assistant: the next state the real environment showed),
 * plus where the transition came from and which summariser, if any, shortened the target.
 */
export const IwmRecordSchema = z.object({
  messages: z.array(ChatMessageSchema).length(3),
  /** `<trajectoryId>#<stepIndex>/expert` or `…/alt-<j>`. */
  id: z.string(),
  kind: z.enum(['expert', 'alternative']),
  trajectoryId: z.string(),
  stepIndex: z.number().int().nonnegative(),
  taskId: z.string(),
  env: z.string(),
  action: z.string(),
  proposer: z.string(),
  valid: z.boolean(),
  /** `none` when the target is the state as observed, else the summariser's name. */
  summariser: z.string(),
});
export type IwmRecord = z.infer<typeof IwmRecordSchema>;

export const IWM_SYSTEM_PROMPT = `You are learning how a text-based environment behaves. Given the task, the current state and an action, predict the next state exactly as the environment will show it, in the same format as the current state. An action that is not possible in the current state leads to the environment's failure state.`;

/**
 * The IWM records of one expert state: the expert transition (s_i, a_i, s_{i+1}) and one per alternative
 * (s_i, a_i^j, s_i^j). Targets longer than the summariser's limit are summarised, and the record names the summariser.
 *
 * @example
 * const records = await iwmRecords(branch, extractiveSummariser(400));
 * records[0].messages[2].content; // the expert action's next state
 */
export async function iwmRecords(branch: BranchRecord, summariser?: StateSummariser): Promise<IwmRecord[]> {
  const outcomes: [BranchOutcome, 'expert' | 'alternative', string][] = [
    [branch.expert, 'expert', `${branch.id}/expert`],
    ...branch.alternatives.map((alt, j): [BranchOutcome, 'alternative', string] => [alt, 'alternative', `${branch.id}/alt-${j}`]),
  ];
  return Promise.all(outcomes.map(async ([outcome, kind, id]) => {
    const long = summariser !== undefined && outcome.nextState.length > summariser.maxChars;
    const target = long ? await summariser.summarise(outcome.nextState) : outcome.nextState;
    return {
      messages: [
        { role: 'system', content: IWM_SYSTEM_PROMPT },
        { role: 'user', content: `# Task\n${branch.instruction}\n\n# Current state\n${branch.state}\n\n# Action\n${outcome.action}` },
        { role: 'assistant', content: target },
      ],
      id, kind, trajectoryId: branch.trajectoryId, stepIndex: branch.stepIndex, taskId: branch.taskId, env: branch.env,
      action: outcome.action, proposer: outcome.proposer, valid: outcome.valid, summariser: long ? summariser.name : 'none',
    };
  }));
}
