import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage, ReceiveOptions } from '../core/queue/queue.ts';

export interface SqsQueueOptions {
  queueUrl: string;
  client?: SQSClient;
}

/**
 * The SQS adapter of the queue port. Visibility timeout, redelivery and the dead-letter queue (a RedrivePolicy
 * on the queue, set by infra/queues.ts) are SQS's own.
 */
export class SqsQueue implements Queue {
  readonly name: string;
  private readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: SqsQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
    this.name = options.queueUrl.split('/').pop() ?? options.queueUrl;
  }

  async send(body: string, options: { delaySeconds?: number } = {}): Promise<string> {
    const out = await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body, DelaySeconds: options.delaySeconds }),
    );
    return out.MessageId!;
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(options.maxMessages ?? 1, 10),
        WaitTimeSeconds: options.waitSeconds ?? 0,
        VisibilityTimeout: options.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      id: m.MessageId!,
      body: m.Body ?? '',
      receiptHandle: m.ReceiptHandle!,
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  async ack(message: QueueMessage): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle }));
  }

  async release(message: QueueMessage, delaySeconds = 0): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: message.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
  }

  async extend(message: QueueMessage, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: seconds }),
    );
  }

  async depth(): Promise<number> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0);
  }
}
