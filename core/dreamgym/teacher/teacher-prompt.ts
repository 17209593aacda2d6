import { z } from 'zod';
import type { ChatMessage } from '../../llm/chat-model.ts';
import type { Transition } from '../offline/trajectory-record.ts';
import type { EnvironmentRules } from '../experience/llm/environment-rules.ts';
import { experienceUserPrompt, type ExperiencePromptContext } from '../experience/llm/prompt.ts';

/** The teacher's answer: only the reasoning trace R*; the outcome it explains is the real one. */
export const TeacherAnswerSchema = z.object({
  reasoning: z.string().min(1).describe('step-by-step reasoning from the context to the real outcome'),
});

const INSTRUCTIONS = `You annotate real transitions of an environment to train an experience model, a model that simulates the environment. For each transition you see what the experience model sees (the task, the interaction so far, similar transitions, the current state and the action) and what the environment really did next.

Write the reasoning the experience model should produce before its prediction: step by step, explain why this action in this state leads to exactly this next state, reward, done and validity, citing the rules and the relevant elements of the state (which page it is on, what the action targets, what changes and what stays). Write it as a prediction from the context; never say that the outcome was shown to you.

Answer with one JSON object: {"reasoning": "..."}.`;

/**
 * The teacher's messages for one transition: a static system prefix (instructions + rules), then the experience
 * model's own user prompt followed by the real outcome.
 *
 * @example
 * const messages = teacherMessages(rulesForEnvironment('shop'), context, transition);
 * const { value } = await teacher.completeStructured(messages, TeacherAnswerSchema, { name: 'reasoning' });
 */
export function teacherMessages(rules: EnvironmentRules, context: ExperiencePromptContext, outcome: Transition): ChatMessage[] {
  const real = `# What the environment did\nNext state:\n${outcome.nextState}\nReward: ${outcome.reward}, done: ${outcome.done}, valid: ${outcome.valid}`;
  return [
    { role: 'system', content: `${INSTRUCTIONS}\n\n# Environment rules\n${rules.text}` },
    { role: 'user', content: `${experienceUserPrompt(context)}\n\n${real}` },
  ];
}
