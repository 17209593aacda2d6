import type { Queue, QueueMessage } from './queue.ts';

export interface ConsumeResult {
  processed: number;
  failed: Array<{ id: string; error: unknown }>;
}

/**
 * Receives one batch and handles each message on its own: successes are acknowledged, failures are released for
 * redelivery (and reach the dead-letter queue after the queue's maxReceiveCount). One bad message never fails the
 * others — the same contract as a Lambda SQS consumer's `batchItemFailures`.
 *
 * @example
 * const result = await consumeBatch(queue, async (message) => handle(JSON.parse(message.body)), { maxMessages: 10 });
 */
export async function consumeBatch(
  queue: Queue,
  handle: (message: QueueMessage) => Promise<void>,
  options: { maxMessages?: number; waitSeconds?: number; retryDelaySeconds?: number } = {},
): Promise<ConsumeResult> {
  const messages = await queue.receive({ maxMessages: options.maxMessages ?? 10, waitSeconds: options.waitSeconds });
  const result: ConsumeResult = { processed: 0, failed: [] };
  await Promise.all(
    messages.map(async (message) => {
      try {
        await handle(message);
        await queue.ack(message);
        result.processed++;
      } catch (error) {
        result.failed.push({ id: message.id, error });
        await queue.release(message, options.retryDelaySeconds ?? 0);
      }
    }),
  );
  return result;
}
