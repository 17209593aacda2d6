import { z } from 'zod';
import type { Task } from '../../env/environment.ts';
import type { Transition } from '../offline/trajectory-record.ts';

/**
 * DreamGym's experience model M_exp: given the task, the interaction history, the current abstract state and an
 * action, it reasons and then predicts the next state, the reward and whether the episode ended. It stands in for
 * the real environment during synthetic rollouts, and never calls it.
 */
export const ExperienceStepSchema = z.object({
  reasoning: z.string().describe('why the action leads to the next state, written before it'),
  nextState: z.string().describe('the next abstract state, in the environment\'s text format'),
  reward: z.number().min(0).max(1).describe('outcome reward: 1 when the task succeeds at this step, else 0 (partial credit allowed)'),
  done: z.boolean().describe('whether the episode ends at this step'),
  valid: z.boolean().describe('false when the action is invalid in this state (the episode then fails with reward 0)'),
});
export type ExperienceStep = z.infer<typeof ExperienceStepSchema>;

export interface HistoryStep {
  state: string;
  action: string;
}

export interface ExperienceStepInput {
  task: Task;
  history: readonly HistoryStep[];
  state: string;
  action: string;
}

export interface ExperienceModel {
  readonly name: string;
  /** The first abstract state of a task, as the environment's reset would show it. */
  initialState(task: Task): Promise<string>;
  step(input: ExperienceStepInput): Promise<ExperienceStep>;
}

/** A transition as the replay buffer keeps it: the real (or synthetic) step plus where it came from. */
export interface BufferedTransition extends Transition {
  /** Unique and deterministic: `<trajectoryId>#<stepIndex>`. */
  id: string;
  trajectoryId: string;
  taskId: string;
  instruction: string;
  stepIndex: number;
  /** offline: real offline data; rollout: synthetic on-policy data; branch: early-experience branches (real). */
  source: 'offline' | 'rollout' | 'branch';
  /** The outcome reward of the episode this step belongs to, when known. */
  episodeReward?: number;
}

export interface RetrievedTransition {
  transition: BufferedTransition;
  /** Cosine similarity of φ(s, a) to the query's φ(s, a). */
  similarity: number;
}

/** Top-k retrieval of similar transitions by cosine similarity of φ(s, a): the D_k of the experience model's prompt. */
export interface TransitionRetriever {
  retrieve(state: string, action: string, k: number): Promise<RetrievedTransition[]>;
}
