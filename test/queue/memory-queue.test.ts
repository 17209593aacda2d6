import { MemoryQueue } from '../../core/queue/memory-queue.ts';
import { describeQueueContract } from './contract.ts';

describeQueueContract('MemoryQueue', async () => {
  const deadLetter = new MemoryQueue('dlq');
  const queue = new MemoryQueue('work', { visibilityTimeoutSeconds: 1, maxReceiveCount: 2, deadLetter });
  return { queue, deadLetter, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 };
});
