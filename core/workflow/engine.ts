import type { ExecutionProgress, ExecutionRecord } from './execution.ts';

export interface StartOptions {
  /** Use this id instead of a generated one (re-running with the same id is refused while it runs). */
  executionId?: string;
  /** Called as the execution moves, for progress display. */
  onProgress?: (progress: ExecutionProgress, record: ExecutionRecord) => void;
  /** The caller waits for the execution and reports its failure itself (the CLI): the engine does not log it again. */
  callerReportsFailure?: boolean;
}

export interface WorkflowSummary {
  name: string;
  description: string;
}

/**
 * Runs workflow definitions: in-process (`LocalWorkflowEngine`) or on AWS Step Functions (`SfnWorkflowEngine`).
 */
export interface WorkflowEngine {
  readonly kind: 'local' | 'aws';
  workflows(): Promise<WorkflowSummary[]>;
  /** Starts an execution and returns its first record (status RUNNING) without waiting for it. */
  start(workflow: string, input: unknown, options?: StartOptions): Promise<ExecutionRecord>;
  /** Resolves with the final record once the execution stops (succeeded, failed or aborted). */
  wait(executionId: string): Promise<ExecutionRecord>;
  describe(executionId: string): Promise<ExecutionRecord>;
  list(workflow?: string): Promise<string[]>;
  /** Completes a state waiting on a task token (Step Functions' SendTaskSuccess / SendTaskFailure). */
  completeTask(token: string, result: TaskResult): Promise<void>;
  /** Tells a state waiting on a task token that its worker is alive (SendTaskHeartbeat), resetting HeartbeatSeconds. */
  heartbeatTask(token: string): Promise<void>;
}

export type TaskResult = { output: unknown } | { error: string; cause: string };
