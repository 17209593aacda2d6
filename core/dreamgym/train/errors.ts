import { ErrorKind, ReverieError } from '../../errors.ts';

/** Every group of an iteration failed: there is nothing to train on, so the run stops here instead of idling on. */
export class IterationFailedError extends ReverieError {
  constructor(runId: string, iteration: number, failures: readonly string[]) {
    super(ErrorKind.failed, `every group of iteration ${iteration} of run ${runId} failed (first: ${failures[0] ?? 'none'})`, {
      details: { runId, iteration, failedGroups: failures.length },
    });
  }
}
