import { describe, expect, it } from 'vitest';
import { consumeBatch } from '../../core/queue/consume.ts';
import type { Queue } from '../../core/queue/queue.ts';

export interface QueuePair {
  queue: Queue;
  deadLetter: Queue;
  /** The queue's visibility timeout in seconds, and its maxReceiveCount. */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delivery semantics every queue adapter must have. `open` returns a fresh queue with a DLQ (maxReceiveCount 2). */
export function describeQueueContract(name: string, open: () => Promise<QueuePair>): void {
  describe(`Queue contract: ${name}`, () => {
    it('delivers a sent message once and forgets it after ack', async () => {
      const { queue } = await open();
      await queue.send('{"n":1}');
      const [message] = await queue.receive({ maxMessages: 5 });
      expect(message.body).toBe('{"n":1}');
      expect(message.receiveCount).toBe(1);
      await queue.ack(message);
      expect(await queue.receive({ maxMessages: 5 })).toEqual([]);
    });

    it('hides a received message until its visibility timeout passes, then redelivers it', async () => {
      const { queue, visibilityTimeoutSeconds } = await open();
      await queue.send('work');
      const [first] = await queue.receive();
      expect(await queue.receive()).toEqual([]);
      await sleep(visibilityTimeoutSeconds * 1000 + 300);
      const [again] = await queue.receive();
      expect(again.body).toBe('work');
      expect(again.receiveCount).toBe(2);
      expect(again.id).toBe(first.id);
    });

    it('moves a message that keeps failing to the dead-letter queue', async () => {
      const { queue, deadLetter, maxReceiveCount } = await open();
      await queue.send('poison');
      for (let i = 0; i < maxReceiveCount; i++) {
        const result = await consumeBatch(queue, async () => {
          throw new Error('handler failed');
        });
        expect(result.failed).toHaveLength(1);
      }
      expect(await queue.receive()).toEqual([]);
      const dead = await deadLetter.receive({ waitSeconds: 1 });
      expect(dead.map((m) => m.body)).toEqual(['poison']);
    });

    it('reports per-message failures without failing the rest of the batch', async () => {
      const { queue } = await open();
      for (const body of ['ok-1', 'bad', 'ok-2']) await queue.send(body);
      const seen: string[] = [];
      const result = await consumeBatch(queue, async (m) => {
        if (m.body === 'bad') throw new Error('bad message');
        seen.push(m.body);
      });
      expect(result.processed).toBe(2);
      expect(result.failed).toHaveLength(1);
      expect(seen.sort()).toEqual(['ok-1', 'ok-2']);
      const [redelivered] = await queue.receive();
      expect(redelivered.body).toBe('bad');
    });
  });
}
