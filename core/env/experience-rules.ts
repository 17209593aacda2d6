import type { Task } from './environment.ts';

/**
 * What an LLM experience model is told about the environment it stands in for: a kind's `experienceRules` hook.
 * The text goes into the static prefix of every prompt, so it must not depend on the task or the step.
 */
export interface EnvironmentRules {
  /** Short name, recorded with annotated data (`shop`, `generic`). */
  readonly name: string;
  /** Page structure, actions, state format and reward rule, in plain text. */
  readonly text: string;
  /** The state every episode starts in, when the environment has a fixed one (the shop's search page). */
  initialState?(task: Task): string | undefined;
  /** Why `text` is not a well-formed state of this environment, or undefined when it is. */
  checkState?(text: string): string | undefined;
}
