/**
 * The environment interface DreamGym, early experience and the rollout engine share. A factory opens independent
 * sessions (many may run at once); a session plays one episode at a time. Observations are text, the abstract
 * state, plus structured data where the environment has it.
 *
 * Rules every implementation follows: an action the environment cannot parse or that is not admissible is an
 * invalid action (the episode moves to a failure state, reward 0, done, valid=false, never a throw); a step limit
 * ends an episode; snapshots are plain JSON so they can be stored and restored in another process.
 */
import { z } from 'zod';

/** A task: an id, the instruction shown to the agent, and environment-specific goal data. */
export const TaskSchema = z.object({
  id: z.string().min(1),
  instruction: z.string(),
  goal: z.unknown().optional(),
});
export type Task = z.infer<typeof TaskSchema>;

/** What the agent sees: the abstract state as text, and structured data where the environment has it. */
export interface Observation<TData = unknown> {
  readonly text: string;
  readonly data?: TData;
}

export interface StepResult<TData = unknown> {
  readonly observation: Observation<TData>;
  readonly reward: number;
  readonly done: boolean;
  /** False when the action could not be parsed or was not admissible; the episode is then over. */
  readonly valid: boolean;
  /** Environment-specific details (page, reward parts, `truncated` when the step limit ended the episode). */
  readonly info: Record<string, unknown>;
}

/**
 * A JSON-serialisable picture of an episode, enough for `restore` to continue it exactly. `env` names the
 * implementation that made it, so restoring into the wrong one fails with a clear error.
 */
export interface EnvironmentSnapshot {
  readonly env: string;
  readonly [key: string]: unknown;
}

/**
 * One episode at a time against one environment instance.
 *
 * @example
 * const session = await factory.open();
 * const first = await session.reset(task);
 * const actions = await session.admissibleActions();
 * const result = await session.step(actions[0]);
 * const saved = await session.snapshot();   // JSON
 * await other.restore(saved);               // `other` now continues from the same state
 * await session.close();
 */
export interface EnvironmentSession<TData = unknown> {
  /** The task of the current episode (with its instruction filled in once the environment told it), if any. */
  readonly task: Task | undefined;
  reset(task: Task): Promise<Observation<TData>>;
  step(action: string): Promise<StepResult<TData>>;
  /** Actions that are valid now; empty once the episode is done. */
  admissibleActions(): Promise<string[]>;
  /**
   * Free-text action templates valid now, each with one `<slot>` (e.g. `search[<query>]`); filled by the policy.
   * Absent or empty where the environment has none.
   */
  actionTemplates?(): Promise<string[]>;
  snapshot(): Promise<EnvironmentSnapshot>;
  /** Puts this session in the snapshot's state and returns the observation there. */
  restore(snapshot: EnvironmentSnapshot): Promise<Observation<TData>>;
  close(): Promise<void>;
}

/** Opens sessions against one environment, and lists its tasks. */
export interface EnvironmentFactory<TData = unknown> {
  /** What the user named (`shop` or a base URL), recorded with every trajectory. */
  readonly spec: string;
  /** Short name used in record ids (`shop`, `agentgym`). */
  readonly label: string;
  open(): Promise<EnvironmentSession<TData>>;
  /** A deterministic range of the environment's tasks; the same range always gives the same tasks. */
  tasks(range: TaskRange): Promise<Task[]>;
}

/** Tasks `offset`, `offset + stride`, … (`count` of them; stride 1 when absent). An environment honours the stride. */
export interface TaskRange {
  readonly offset?: number;
  readonly count: number;
  readonly stride?: number;
}

/**
 * The observation text of the failure state an invalid action leads to where the environment decides locally
 * (the built-in `shop`, or an AgentGym server with local filtering); servers that answer invalid actions
 * themselves are recorded with their own answer.
 */
export const INVALID_ACTION_TEXT = 'page: failed\nreason: invalid action';
