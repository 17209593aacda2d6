import type { Task } from '../../env/environment.ts';
import type { RolloutSource } from './trajectory.ts';

export interface RolloutObservation {
  readonly state: string;
  /** After reset: the task as the environment told it (an HTTP server fills in the instruction). */
  readonly task?: Task;
  /** What the policy may choose from now; undefined where the session cannot tell. Empty once done. */
  readonly admissibleActions: readonly string[] | undefined;
}

export interface RolloutStepResult extends RolloutObservation {
  readonly reward: number;
  readonly done: boolean;
  readonly valid: boolean;
  /** The step limit ended the episode. */
  readonly truncated: boolean;
  /** The next state could not be read (a malformed prediction), which ends the episode with reward 0. */
  readonly unreadable: boolean;
}

/**
 * One episode as the rollout engine plays it, whether the steps come from a real environment or an experience
 * model: reset shows the first state and its admissible actions, step answers with the next ones.
 */
export interface RolloutSession {
  readonly source: RolloutSource;
  reset(task: Task): Promise<RolloutObservation>;
  step(action: string): Promise<RolloutStepResult>;
  close(): Promise<void>;
}

/** Opens a fresh session per rollout, so the n rollouts of a group run side by side. */
export type RolloutSessionFactory = () => Promise<RolloutSession>;
