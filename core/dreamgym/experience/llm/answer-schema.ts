import { z } from 'zod';
import { ExperienceStepSchema, type ExperienceStep } from '../experience-model.ts';
import type { EnvironmentRules } from './environment-rules.ts';

/**
 * ExperienceStepSchema plus the environment's state check: a `nextState` the environment could never show (a shop
 * state without a known page) fails the schema like a missing field, so the repair retry names the problem and a
 * persistent failure is thrown (`LlmOutputError`): the rollout is dropped, never scored as an invalid action. Refinements stay out of the JSON schema sent to the server.
 *
 * @example
 * stepAnswerSchema(rulesForEnvironment('shop')).safeParse({ reasoning: '…', nextState: 'page: nowhere', reward: 0, done: false, valid: true }).success; // false
 */
export function stepAnswerSchema(rules: EnvironmentRules): z.ZodType<ExperienceStep> {
  const check = rules.checkState;
  if (!check) return ExperienceStepSchema;
  return ExperienceStepSchema.superRefine((answer, ctx) => {
    const problem = check(answer.nextState);
    if (problem) ctx.addIssue({ code: 'custom', path: ['nextState'], message: problem });
  });
}

/** What the model answers when asked for the first state of a task (environments without a fixed one). */
export const InitialStateSchema = z.object({
  reasoning: z.string().describe('what the environment shows at the start of this task, and why'),
  state: z.string().min(1).describe('the first state, in the environment\'s text format'),
});
export type InitialStateAnswer = z.infer<typeof InitialStateSchema>;

/** InitialStateSchema plus the environment's state check, as `stepAnswerSchema` does for steps. */
export function initialStateAnswerSchema(rules: EnvironmentRules): z.ZodType<InitialStateAnswer> {
  const check = rules.checkState;
  if (!check) return InitialStateSchema;
  return InitialStateSchema.superRefine((answer, ctx) => {
    const problem = check(answer.state);
    if (problem) ctx.addIssue({ code: 'custom', path: ['state'], message: problem });
  });
}

/** An invalid action ends the episode with reward 0 (DreamGym's failure state), whatever else the model said. */
export function normaliseStep(step: ExperienceStep): ExperienceStep {
  return step.valid ? step : { ...step, reward: 0, done: true };
}
