import { z } from 'zod';
import type { ChatModel } from '../../llm/chat-model.ts';
import { LlmOutputError } from '../../llm/errors.ts';
import type { CallUsage } from '../../llm/usage.ts';
import type { TransitionRetriever } from '../experience/experience-model.ts';
import type { EnvironmentRules } from '../experience/llm/environment-rules.ts';
import { retrieveNeighbours } from '../experience/llm/neighbours.ts';
import { experienceMessages } from '../experience/llm/prompt.ts';
import type { TrajectoryRecord } from '../offline/trajectory-record.ts';
import { sftMessages, type ExperienceSftRecord } from './sft-record.ts';
import { TeacherAnswerSchema, teacherMessages } from './teacher-prompt.ts';

/** A transition the teacher could not annotate (its answer failed the schema after the repair retry). */
export const SkippedTransitionSchema = z.object({ id: z.string(), problem: z.string() });
export type SkippedTransition = z.infer<typeof SkippedTransitionSchema>;

export type TransitionAnnotation =
  | { readonly ok: true; readonly record: ExperienceSftRecord; readonly usage: CallUsage; readonly repairs: number }
  | { readonly ok: false; readonly skipped: SkippedTransition };

export interface AnnotateTransitionOptions {
  /** D_k source; without one the prompt says none were retrieved. */
  readonly retriever?: TransitionRetriever;
  readonly k?: number;
  readonly maxHistorySteps?: number;
  readonly temperature?: number;
}

/**
 * DreamGym Eq. 5 for one real transition: the teacher writes R* explaining why (s_t, a_t), given the task, the
 * history and D_k, leads to the real s_{t+1}; the SFT record pairs the experience model's own prompt with
 * R* + the real outcome. D_k never includes steps of the same trajectory, whose next states would give the answer
 * away. A schema failure is returned as skipped; an unavailable endpoint is thrown.
 *
 * @example
 * const result = await annotateTransition(teacher, rulesForEnvironment('shop'), record, 2, { retriever: buffer, k: 3 });
 * if (result.ok) lines.push(result.record);
 */
export async function annotateTransition(
  teacher: ChatModel,
  rules: EnvironmentRules,
  trajectory: TrajectoryRecord,
  stepIndex: number,
  options: AnnotateTransitionOptions = {},
): Promise<TransitionAnnotation> {
  const step = trajectory.steps[stepIndex];
  const id = `${trajectory.id}#${stepIndex}`;
  const history = trajectory.steps.slice(0, stepIndex).map(({ state, action }) => ({ state, action }));
  const neighbours = await retrieveNeighbours(options.retriever, step.state, step.action, options.k ?? 3, (t) => t.trajectoryId === trajectory.id);
  const context = { task: trajectory.task, history, neighbours, state: step.state, action: step.action, maxHistorySteps: options.maxHistorySteps };
  try {
    const { value, usage, repairs } = await teacher.completeStructured(teacherMessages(rules, context, step), TeacherAnswerSchema, {
      name: 'reasoning',
      temperature: options.temperature,
    });
    const answer = { reasoning: value.reasoning, nextState: step.nextState, reward: step.reward, done: step.done, valid: step.valid };
    const record: ExperienceSftRecord = {
      messages: sftMessages(experienceMessages(rules, context), answer),
      id,
      trajectoryId: trajectory.id,
      taskId: trajectory.task.id,
      stepIndex,
      env: trajectory.env,
      policy: trajectory.policy,
      teacherModel: teacher.model,
      neighbours: neighbours.map((n) => n.transition.id),
    };
    return { ok: true, record, usage, repairs };
  } catch (error) {
    if (error instanceof LlmOutputError) return { ok: false, skipped: { id, problem: error.message.slice(0, 500) } };
    throw error;
  }
}
