import { randomUUID } from 'node:crypto';
import { NotFoundError, ReverieError } from '../core/errors.ts';

interface Waiter {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  heartbeat?: () => void;
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

  /**
   * A fresh token. With `heartbeatSeconds` (the state's HeartbeatSeconds), the wait fails with
   * States.HeartbeatTimeout, as on AWS, when no heartbeat or answer comes within that many seconds.
   */
  create(options: { heartbeatSeconds?: number } = {}): { token: string; result: Promise<unknown> } {
    const token = `local-${randomUUID()}`;
    const result = new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (options.heartbeatSeconds === undefined) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.waiting.delete(token);
          reject(new TaskFailedError('States.HeartbeatTimeout', `no heartbeat for ${options.heartbeatSeconds} s`));
        }, options.heartbeatSeconds * 1000);
        timer.unref();
      };
      const settle = <T>(fn: (value: T) => void) => (value: T) => { clearTimeout(timer); fn(value); };
      this.waiting.set(token, { resolve: settle(resolve), reject: settle(reject), heartbeat: arm });
      arm();
    });
    return { token, result };
  }

  /** The worker holding the token is alive (SendTaskHeartbeat): restarts the state's HeartbeatSeconds. */
  heartbeat(token: string): void {
    const waiter = this.waiting.get(token);
    if (!waiter) throw new NotFoundError(`no task is waiting on token "${token}" (it finished, timed out, or belongs to another process)`);
    waiter.heartbeat?.();
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
