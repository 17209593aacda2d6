/**
 * The queue port: at-least-once delivery with a visibility timeout. A received message stays invisible until it
 * is acknowledged (deleted) or its timeout passes; after `maxReceiveCount` receives it moves to the dead-letter queue.
 */
export interface QueueMessage {
  id: string;
  body: string;
  /** Opaque handle for ack/release of this delivery. */
  receiptHandle: string;
  /** How many times this message has been received, this delivery included. */
  receiveCount: number;
}

export interface ReceiveOptions {
  maxMessages?: number;
  /** Long-poll up to this many seconds for a message to arrive. */
  waitSeconds?: number;
  /** Override the queue's visibility timeout for these deliveries. */
  visibilityTimeoutSeconds?: number;
}

export interface Queue {
  readonly name: string;
  send(body: string, options?: { delaySeconds?: number }): Promise<string>;
  receive(options?: ReceiveOptions): Promise<QueueMessage[]>;
  /** Deletes a delivered message: it will not be delivered again. */
  ack(message: QueueMessage): Promise<void>;
  /** Makes a delivered message visible again after `delaySeconds` (0: at once), counting towards the DLQ. */
  release(message: QueueMessage, delaySeconds?: number): Promise<void>;
  /**
   * Keeps a delivered message invisible for `seconds` more from now (SQS ChangeMessageVisibility): a consumer whose
   * work outlasts the visibility timeout extends it, so the message is not delivered to a second consumer meanwhile.
   */
  extend(message: QueueMessage, seconds: number): Promise<void>;
  /** Approximate number of messages waiting (visible) in the queue. */
  depth(): Promise<number>;
}
