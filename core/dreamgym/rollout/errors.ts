import { ErrorKind, ReverieError } from '../../errors.ts';

/**
 * More rollouts of a group failed than its limit allows. Thrown so the workflow retries the group; a group that
 * still fails is recorded as failed and left out of the update.
 */
export class GroupFailedError extends ReverieError {
  constructor(taskId: string, failed: number, n: number, firstError: string) {
    super(ErrorKind.failed, `group of task ${taskId}: ${failed} of ${n} rollouts failed (first: ${firstError})`, {
      details: { taskId, failed, n },
    });
  }
}
