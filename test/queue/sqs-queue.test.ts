import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SqsQueue } from '../../adapters/sqs-queue.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { describeQueueContract } from './contract.ts';

const emulator = useEmulator();
let counter = 0;

describeQueueContract('SqsQueue on fauxqs', async () => {
  const n = ++counter;
  const dlq = await emulator().sqs.send(new CreateQueueCommand({ QueueName: `dlq-${n}` }));
  const dlqArn = (
    await emulator().sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const work = await emulator().sqs.send(
    new CreateQueueCommand({
      QueueName: `work-${n}`,
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
      },
    }),
  );
  return {
    queue: new SqsQueue({ queueUrl: work.QueueUrl!, client: emulator().sqs }),
    deadLetter: new SqsQueue({ queueUrl: dlq.QueueUrl!, client: emulator().sqs }),
    visibilityTimeoutSeconds: 1,
    maxReceiveCount: 2,
  };
});
