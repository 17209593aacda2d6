import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Queue, QueueMessage, ReceiveOptions } from './queue.ts';

interface Stored {
  id: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
  receipt?: string;
}

export interface MemoryQueueOptions {
  visibilityTimeoutSeconds?: number;
  /** Receives after which a message goes to `deadLetter` (SQS's maxReceiveCount). */
  maxReceiveCount?: number;
  deadLetter?: Queue;
}

/**
 * The in-process queue of the embedded default, with SQS's delivery semantics: visibility timeout, redelivery,
 * and a dead-letter queue after `maxReceiveCount` receives.
 *
 * @example
 * const dlq = new MemoryQueue('trainer-dlq');
 * const queue = new MemoryQueue('trainer', { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, deadLetter: dlq });
 */
export class MemoryQueue implements Queue {
  readonly name: string;
  private readonly messages: Stored[] = [];
  private readonly options: Required<Omit<MemoryQueueOptions, 'deadLetter'>> & { deadLetter?: Queue };
  private waiters: Array<() => void> = [];

  constructor(name: string, options: MemoryQueueOptions = {}) {
    this.name = name;
    this.options = { visibilityTimeoutSeconds: 30, maxReceiveCount: Number.POSITIVE_INFINITY, ...options };
    if (this.options.maxReceiveCount < 1) throw new InvalidInputError(`queue ${name}: maxReceiveCount must be at least 1`);
  }

  async send(body: string, options: { delaySeconds?: number } = {}): Promise<string> {
    const id = randomUUID();
    this.messages.push({ id, body, visibleAt: Date.now() + (options.delaySeconds ?? 0) * 1000, receiveCount: 0 });
    this.wake();
    return id;
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
    for (;;) {
      const batch = await this.takeVisible(options);
      if (batch.length > 0 || Date.now() >= deadline) return batch;
      await this.waitForMessage(Math.min(deadline - Date.now(), this.nextVisibleIn()));
    }
  }

  async ack(message: QueueMessage): Promise<void> {
    const index = this.messages.findIndex((m) => m.receipt === message.receiptHandle);
    if (index !== -1) this.messages.splice(index, 1);
  }

  async release(message: QueueMessage, delaySeconds = 0): Promise<void> {
    const stored = this.messages.find((m) => m.receipt === message.receiptHandle);
    if (!stored) return;
    stored.visibleAt = Date.now() + delaySeconds * 1000;
    stored.receipt = undefined;
    this.wake();
  }

  async extend(message: QueueMessage, seconds: number): Promise<void> {
    const stored = this.messages.find((m) => m.receipt === message.receiptHandle);
    if (!stored) throw new NotFoundError(`message ${message.id} is no longer held by this receipt (acknowledged or redelivered)`);
    stored.visibleAt = Date.now() + seconds * 1000;
  }

  async depth(): Promise<number> {
    const now = Date.now();
    return this.messages.filter((m) => m.visibleAt <= now).length;
  }

  private async takeVisible(options: ReceiveOptions): Promise<QueueMessage[]> {
    const now = Date.now();
    const max = options.maxMessages ?? 1;
    const timeout = options.visibilityTimeoutSeconds ?? this.options.visibilityTimeoutSeconds;
    const out: QueueMessage[] = [];
    for (const stored of [...this.messages]) {
      if (out.length >= max) break;
      if (stored.visibleAt > now) continue;
      if (stored.receiveCount >= this.options.maxReceiveCount) {
        await this.moveToDeadLetter(stored);
        continue;
      }
      stored.receiveCount++;
      stored.receipt = randomUUID();
      stored.visibleAt = now + timeout * 1000;
      out.push({ id: stored.id, body: stored.body, receiptHandle: stored.receipt, receiveCount: stored.receiveCount });
    }
    return out;
  }

  private async moveToDeadLetter(stored: Stored): Promise<void> {
    this.messages.splice(this.messages.indexOf(stored), 1);
    if (this.options.deadLetter) await this.options.deadLetter.send(stored.body);
  }

  private nextVisibleIn(): number {
    const now = Date.now();
    const times = this.messages.map((m) => m.visibleAt - now).filter((t) => t > 0);
    return times.length > 0 ? Math.min(...times) : Number.POSITIVE_INFINITY;
  }

  private waitForMessage(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      const waiter = (): void => done();
      this.waiters.push(waiter);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
