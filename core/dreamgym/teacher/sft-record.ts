import { z } from 'zod';
import type { ChatMessage } from '../../llm/chat-model.ts';
import type { ExperienceStep } from '../experience/experience-model.ts';

/**
 * One line of the experience model's SFT dataset (DreamGym Eq. 5): chat messages a trainer reads directly
 * (system: instructions + rules; user: task, history, D_k, state, action; assistant: reasoning + next state + reward,
 * done, valid as the JSON object the LLM experience model answers with), plus where the transition came from.
 */
export const ExperienceSftRecordSchema = z.object({
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).length(3),
  /** `<trajectoryId>#<stepIndex>`, the replay buffer's transition id. */
  id: z.string(),
  trajectoryId: z.string(),
  taskId: z.string(),
  stepIndex: z.number().int().nonnegative(),
  env: z.string(),
  policy: z.string(),
  teacherModel: z.string(),
  /** Ids of the D_k transitions shown in the user message, in order. */
  neighbours: z.array(z.string()),
});
export type ExperienceSftRecord = z.infer<typeof ExperienceSftRecordSchema>;

/**
 * The assistant turn: the same JSON object, with the same key order, that the LLM experience model is asked for,
 * so a model fine-tuned on it answers in the format `LlmExperienceModel` parses.
 *
 * @example
 * experienceAnswerText({ reasoning: 'Searching shows results.', nextState: 'page: results\n…', reward: 0, done: false, valid: true });
 * // '{"reasoning":"Searching shows results.","nextState":"page: results\\n…","reward":0,"done":false,"valid":true}'
 */
export function experienceAnswerText(step: ExperienceStep): string {
  const { reasoning, nextState, reward, done, valid } = step;
  return JSON.stringify({ reasoning, nextState, reward, done, valid });
}

/**
 * The three chat messages of an SFT record: the experience model's prompt, then its answer.
 *
 * @example
 * sftMessages(experienceMessages(rulesForEnvironment('shop'), context), { reasoning, ...realOutcome }).map((m) => m.role); // ['system', 'user', 'assistant']
 */
export function sftMessages(prompt: readonly ChatMessage[], answer: ExperienceStep): ExperienceSftRecord['messages'] {
  return [...prompt.map((m) => ({ role: m.role, content: m.content })), { role: 'assistant', content: experienceAnswerText(answer) }];
}
