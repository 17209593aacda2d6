import { randomUUID } from 'node:crypto';
import { NotFoundError, ReverieError } from '../core/errors.ts';

interface Waiter {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** A task failure reported by whoever held the token (Step Functions' SendTaskFailure). */
export class TaskFailedError extends ReverieError {
  constructor(error: string, cause: string) {
    super('failed', cause);
    this.name = error;
  }
}

/**
 * Task tokens for the local engine, standing in for Step Functions' `.waitForTaskToken`: a state waits on a fresh
 * token until someone reports success or failure for it (in-process, or through `POST /v1/tasks/{token}/success`).
 *
 * @example
 * const { token, result } = localTaskTokens.create();
 * localTaskTokens.succeed(token, { policyVersion: 3 }); // result resolves with the output
 */
export class TaskTokenRegistry {
  private readonly waiting = new Map<string, Waiter>();

  create(): { token: string; result: Promise<unknown> } {
    const token = `local-${randomUUID()}`;
    const result = new Promise<unknown>((resolve, reject) => this.waiting.set(token, { resolve, reject }));
    return { token, result };
  }

  succeed(token: string, output: unknown): void {
    this.take(token).resolve(output);
  }

  fail(token: string, error: string, cause: string): void {
    this.take(token).reject(new TaskFailedError(error, cause));
  }

  /** Drops a token whose state timed out, so late answers are refused. */
  forget(token: string): void {
    this.waiting.delete(token);
  }

  private take(token: string): Waiter {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new NotFoundError(`no task is waiting on token "${token}" (it finished, timed out, or belongs to another process)`);
    this.waiting.delete(token);
    return waiter;
  }
}

export const localTaskTokens = new TaskTokenRegistry();
