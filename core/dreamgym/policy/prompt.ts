import type { Task } from '../../env/environment.ts';
import type { ContextMessage } from '../rollout/trajectory.ts';

const FORMAT = [
  'Answer every turn in exactly this format, with one action:',
  'Thought: <your reasoning about the current page>',
  'Action: <one action, e.g. search[red cotton t-shirt] or click[buy now]>',
].join('\n');

/**
 * The system message: environment rules and answer format only, identical for every task and turn, so servers
 * with prefix caching reuse it.
 */
export function policySystemMessage(rules: string): ContextMessage {
  return { type: 'context', role: 'system', content: `${rules}\n\n${FORMAT}` };
}

/** The user message of one turn: the instruction on the first, then the observation and the available actions. */
export function observationMessage(
  task: Task,
  state: string,
  admissibleActions: readonly string[] | undefined,
  turn: number,
): ContextMessage {
  let content = turn === 0 ? `Instruction: ${task.instruction}\n\n` : '';
  content += `Observation:\n${state}`;
  if (admissibleActions !== undefined) content += `\n\nAvailable actions:\n${admissibleActions.join('\n')}`;
  return { type: 'context', role: 'user', content };
}
