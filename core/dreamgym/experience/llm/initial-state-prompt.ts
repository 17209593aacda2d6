import type { ChatMessage } from '../../../llm/chat-model.ts';
import type { Task } from '../../../env/environment.ts';
import type { EnvironmentRules } from './environment-rules.ts';

const INSTRUCTIONS = `You are the experience model of a reinforcement-learning environment: you simulate the environment for an agent. An episode is starting: no action has been taken yet. Given the task, write the first state the environment shows the agent for it.

Answer with one JSON object with these fields, in this order:
- "reasoning": first, think about what the environment shows at the start of such a task under the rules (the starting page or scene, the elements the agent can act on);
- "state": the first state, written exactly in the environment's state format.`;

/**
 * The system message of the initial-state request: its own instructions (a first state, not a step's next state,
 * reward and flags), then the environment's rules. Like the step prompt it depends only on the rules, so it is
 * byte-identical across tasks for prefix caching.
 *
 * @example
 * initialStateSystemPrompt(GENERIC_RULES).includes('An episode is starting'); // true
 */
export function initialStateSystemPrompt(rules: EnvironmentRules): string {
  return `${INSTRUCTIONS}\n\n# Environment rules\n${rules.text}`;
}

/** System then user message asking for the first state of `task`. */
export function initialStateMessages(rules: EnvironmentRules, task: Task): ChatMessage[] {
  return [
    { role: 'system', content: initialStateSystemPrompt(rules) },
    { role: 'user', content: `# Task\n${task.instruction}\n\n# Request\nWrite the first state the environment shows for this task.` },
  ];
}
