import { ConflictError } from '../errors.ts';

/**
 * Restoring an episode by replaying its actions gave different observations than the recorded ones: the
 * environment is not deterministic for this task, or has changed. Callers that branch from recorded states
 * (early experience) report the trajectory by id and skip it.
 */
export class ReplayDivergenceError extends ConflictError {
  readonly step: number;

  constructor(taskId: string, step: number, action: string | undefined) {
    const where = action === undefined ? 'after reset' : `at step ${step} (action "${action}")`;
    super(`replaying task ${taskId} diverged ${where}: the observation differs from the recorded one`, {
      details: { taskId, step, action },
    });
    this.step = step;
  }
}

/**
 * Something reached for the real environment where it must not: during a synthetic iteration a run may touch no
 * real environment (not its sessions, tasks, catalog, search or reward). A programming error, never retried.
 */
export class RealEnvironmentRefusedError extends Error {
  readonly operation: string;

  constructor(operation: string, phase: string) {
    super(`the real environment refused "${operation}": no real access is allowed during ${phase}`);
    this.name = 'RealEnvironmentRefusedError';
    this.operation = operation;
  }
}
