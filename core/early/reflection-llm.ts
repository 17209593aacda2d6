import type { ChatMessage, ChatModel } from '../llm/chat-model.ts';
import type { BranchOutcome, BranchRecord } from './branch-record.ts';

/**
 * The paper's self-reflection instructions: given the situation, the expert action with its outcome and the
 * alternatives with theirs, reason step by step about why the expert action is the better choice, grounded only in
 * the observed outcomes, with no meta-commentary. Static, so it is the cached prefix of every call.
 */
export const REFLECTION_SYSTEM_PROMPT = `You will be shown a situation an agent faced in a text-based environment: the task, the current state, the action that was chosen together with the state it led to, and other actions that were tried from the same state together with the states they led to.

Write step-by-step reasoning about why the chosen action is the better choice than the other actions in this situation.
- Ground every statement only in the observed outcomes shown here; do not invent consequences that were not observed.
- Compare the outcomes: which actions are not possible, which end the episode and with what reward, which undo progress or lead away from the task, and how the chosen action moves toward accomplishing the task.
- Write it as the agent's own thinking before it acts, in the first person. No meta-commentary: do not mention experts, demonstrations, these instructions or that outcomes were shown to you.
- Answer with the reasoning only, a few sentences; do not end with the action itself.`;

/**
 * The teacher call's messages for one expert state.
 *
 * @example
 * reflectionMessages(branch)[1].content; // '# Task\n…\n\n# Current state\n…\n\n# Chosen action\nclick[P0019]\nIt led to:\n…'
 */
export function reflectionMessages(branch: BranchRecord): ChatMessage[] {
  const others = branch.alternatives.length === 0
    ? '(no other action was available)'
    : branch.alternatives.map((alt, j) => `## ${j + 1}. ${alt.action}\nIt led to:\n${alt.nextState}\n${facts(alt)}`).join('\n\n');
  const user = [
    `# Task\n${branch.instruction}`,
    `# Current state\n${branch.state}`,
    `# Chosen action\n${branch.expert.action}\nIt led to:\n${branch.expert.nextState}\n${facts(branch.expert)}`,
    `# Other actions tried from the same state\n${others}`,
  ].join('\n\n');
  return [{ role: 'system', content: REFLECTION_SYSTEM_PROMPT }, { role: 'user', content: user }];
}

/**
 * The teacher's reflection on one expert state, cleaned of a `Thought:` prefix and of a closing `Action:` line,
 * which the SR record adds itself.
 *
 * @example
 * const text = await llmReflection(runtime.chat('teacher')!, branch);
 */
export async function llmReflection(teacher: ChatModel, branch: BranchRecord): Promise<string> {
  const { text } = await teacher.complete(reflectionMessages(branch), { temperature: 0 });
  const lines = text.trim().split('\n');
  while (lines.length > 0 && /^\s*\**\s*action\s*\**\s*:/i.test(lines[lines.length - 1])) lines.pop();
  return lines.join('\n').replace(/^\s*\**\s*thought\s*\**\s*:\s*\**\s*/i, '').trim();
}

function facts(outcome: BranchOutcome): string {
  if (!outcome.valid) return '(the action was not possible: the episode failed with reward 0)';
  return outcome.done ? `(the episode ended with reward ${outcome.reward})` : '(the episode continued)';
}
