import type { ChatMessage } from '../llm/chat-model.ts';

/**
 * The policy's prompt, shared by the alternatives the policy LLM proposes and by the SR dataset's inputs, so the
 * policy is trained on exactly the prompt it acts from. The static instructions come first for prefix caching.
 */
export const POLICY_SYSTEM_PROMPT = `You are an agent acting in a text-based environment to accomplish a task. At each step you see the task, the current state and the actions available now.

Think about what the state shows and which action brings you closer to accomplishing the task, then choose one action. Answer in exactly this format:
Thought: <your reasoning>
Action: <one action, written exactly as the environment expects it>`;

/**
 * @example
 * policyMessages('buy a red shirt', 'page: search', ['search[red shirt]']);
 * // [{ role: 'system', content: POLICY_SYSTEM_PROMPT }, { role: 'user', content: '# Task\nbuy a red shirt\n\n# Current state\n…' }]
 */
export function policyMessages(instruction: string, state: string, admissible: readonly string[]): ChatMessage[] {
  const actions = admissible.length > 0 ? admissible.map((a) => `- ${a}`).join('\n') : '(not listed by this environment)';
  return [
    { role: 'system', content: POLICY_SYSTEM_PROMPT },
    { role: 'user', content: `# Task\n${instruction}\n\n# Current state\n${state}\n\n# Available actions\n${actions}` },
  ];
}

/** The answer format a policy is trained to give: its reasoning, then the action on its own line. */
export function policyAnswer(thought: string, action: string): string {
  return `Thought: ${thought.trim()}\nAction: ${action}`;
}

/**
 * The action of a ReAct-style answer: the last `Action:` line, or a one-line answer as it is. Undefined when the
 * answer has no usable action.
 *
 * @example
 * parseActionLine('Thought: the first result fits\nAction: click[P0019]'); // 'click[P0019]'
 */
export function parseActionLine(text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^\**\s*action\s*\**\s*:\s*\**\s*(.+)$/i.exec(lines[i]);
    if (match) return stripQuotes(match[1]) || undefined;
  }
  return lines.length === 1 && !/^thought\s*:/i.test(lines[0]) ? stripQuotes(lines[0]) || undefined : undefined;
}

function stripQuotes(text: string): string {
  return text.trim().replace(/^[`"']+|[`"']+$/g, '').trim();
}
