import type { ChatMessage } from '../../../llm/chat-model.ts';
import type { Task } from '../../../env/environment.ts';
import type { HistoryStep } from '../experience-model.ts';
import type { EnvironmentRules } from './environment-rules.ts';
import type { Neighbour } from './neighbours.ts';

/** Everything that changes from one experience-model call to the next. */
export interface ExperiencePromptContext {
  readonly task: Task;
  readonly history: readonly HistoryStep[];
  /** D_k, already in its stable order (see `retrieveNeighbours`). */
  readonly neighbours: readonly Neighbour[];
  readonly state: string;
  readonly action: string;
  /** Keep only the last N history steps (all by default); the omitted count is stated. */
  readonly maxHistorySteps?: number;
}

const INSTRUCTIONS = `You are the experience model of a reinforcement-learning environment: you simulate the environment for an agent. Given the task, the interaction so far, transitions similar to the current one (from real or earlier simulated experience), the current state and the agent's action, predict what the environment does next.

Answer with one JSON object with these fields, in this order:
- "reasoning": first, think step by step about what the action does in the current state under the rules, whether it is valid, and whether it completes the task;
- "nextState": the next state, written exactly in the environment's state format;
- "reward": the reward of this step, a number from 0 to 1;
- "done": true when the episode ends at this step;
- "valid": false when the action is invalid in the current state.`;

/**
 * The system message: instructions, then the environment's rules. It depends only on the rules, so it is
 * byte-identical for every step of every task, and servers with prefix caching reuse it.
 *
 * @example
 * experienceSystemPrompt(rulesForEnvironment('shop')).startsWith('You are the experience model'); // true
 */
export function experienceSystemPrompt(rules: EnvironmentRules): string {
  return `${INSTRUCTIONS}\n\n# Environment rules\n${rules.text}`;
}

/**
 * The user message of one step. Its order serves prefix caching too: the task, then the history (which only grows
 * within an episode, so step t+1 shares step t's prompt up to the end of its history), then D_k, the current state
 * and the action, which change every step.
 *
 * @example
 * const text = experienceUserPrompt({ task, history: [], neighbours: [], state: 'page: search', action: 'search[red shirt]' });
 * // '# Task\n…\n\n# Interaction so far\n(none: this is the first step)\n\n# Similar transitions\n…'
 */
export function experienceUserPrompt(context: ExperiencePromptContext): string {
  return [
    `# Task\n${context.task.instruction}`,
    `# Interaction so far\n${formatHistory(context.history, context.maxHistorySteps)}`,
    `# Similar transitions\n${formatNeighbours(context.neighbours)}`,
    `# Current state\n${context.state}`,
    `# Action\n${context.action}`,
  ].join('\n\n');
}

/** System then user message of one experience-model step, as sent to the model and as stored in SFT data. */
export function experienceMessages(rules: EnvironmentRules, context: ExperiencePromptContext): ChatMessage[] {
  return [
    { role: 'system', content: experienceSystemPrompt(rules) },
    { role: 'user', content: experienceUserPrompt(context) },
  ];
}

function formatHistory(history: readonly HistoryStep[], maxSteps: number | undefined): string {
  if (history.length === 0) return '(none: this is the first step)';
  const keep = maxSteps === undefined ? history.length : Math.max(0, Math.min(history.length, maxSteps));
  const first = history.length - keep;
  const lines = first > 0 ? [`(${first} earlier steps omitted)`] : [];
  for (let i = first; i < history.length; i++) {
    lines.push(`Step ${i + 1}\nState:\n${history[i].state}\nAction: ${history[i].action}`);
  }
  return lines.join('\n\n');
}

function formatNeighbours(neighbours: readonly Neighbour[]): string {
  if (neighbours.length === 0) return '(none retrieved)';
  return neighbours
    .map(({ transition: t, similarity }, i) => [
      `Example ${i + 1} (similarity ${similarity.toFixed(2)})`,
      `State:\n${t.state}`,
      `Action: ${t.action}`,
      `Next state:\n${t.nextState}`,
      `Reward: ${t.reward}, done: ${t.done}, valid: ${t.valid}`,
    ].join('\n'))
    .join('\n\n');
}
