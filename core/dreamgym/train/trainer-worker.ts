import { getJsonIfExists, putJson } from '../../store/json.ts';
import type { Queue, QueueMessage } from '../../queue/queue.ts';
import type { Store } from '../../store/store.ts';
import { TrainerMessageSchema, TrainerReplySchema, type TrainerReply, type TrainerRequest } from './steps/trainer-messages.ts';
import { z } from 'zod';

export interface TrainerWorkerOptions {
  queue: Queue;
  store: Store;
  /** The training itself (a GPU job): the batch in, the next policy version out. */
  train: (request: TrainerRequest) => Promise<TrainerReply>;
  /** Answers a task token (AWS: SendTaskSuccess through the engine); unset where hand-offs use the store. */
  complete?: (token: string, reply: TrainerReply) => Promise<void>;
  /** Tells the waiting state the trainer is alive (AWS: SendTaskHeartbeat). */
  heartbeat?: (token: string) => Promise<void>;
  /** Visibility asked for on receive and on every extension. */
  visibilitySeconds: number;
  /** How often, while training, visibility is extended, the token heartbeated and the claim refreshed. */
  heartbeatSeconds: number;
  workerId: string;
  now?: () => number;
}

const ClaimSchema = z.object({ worker: z.string(), refreshedAt: z.number() });

export type TrainerOutcome = 'trained' | 'answered-again' | 'busy' | 'rejected';

/**
 * One delivery of the trainer queue, handled so that each (run, iteration) is trained once however often it is
 * delivered: a reply already in the store is sent again without training; a claim another worker keeps fresh
 * (it is still training) leaves the message for later; otherwise this worker claims the iteration, trains, and
 * while it does extends the message's visibility, heartbeats the task token and refreshes the claim, so neither
 * SQS nor Step Functions gives up on a training that outlasts the visibility timeout.
 *
 * @example
 * const outcome = await handleTrainerMessage(message, { queue, store, train, visibilitySeconds: 900, heartbeatSeconds: 300, workerId });
 */
export async function handleTrainerMessage(message: QueueMessage, options: TrainerWorkerOptions): Promise<TrainerOutcome> {
  const parsed = TrainerMessageSchema.safeParse(safeJson(message.body));
  if (!parsed.success) {
    // Not ours to fix: after maxReceiveCount deliveries SQS moves it to the dead-letter queue.
    await options.queue.release(message, options.visibilitySeconds);
    return 'rejected';
  }
  const { request, taskToken } = parsed.data;
  const now = options.now ?? Date.now;
  const claimKey = `${request.replyKey}.claim.json`;
  const answer = async (reply: TrainerReply) => {
    if (taskToken && options.complete) await options.complete(taskToken, reply);
    await options.queue.ack(message);
  };

  const done = await getJsonIfExists(options.store, request.replyKey, TrainerReplySchema);
  if (done) {
    await answer(done);
    return 'answered-again';
  }
  const claim = { worker: options.workerId, refreshedAt: now() };
  if (!(await options.store.putIfAbsent(claimKey, JSON.stringify(claim)))) {
    const held = await getJsonIfExists(options.store, claimKey, ClaimSchema);
    const stale = !held || now() - held.refreshedAt > 3 * options.heartbeatSeconds * 1000;
    if (held && held.worker !== options.workerId && !stale) {
      await options.queue.release(message, options.heartbeatSeconds);
      return 'busy';
    }
    await putJson(options.store, claimKey, claim);
  }

  const keepAlive = setInterval(() => {
    void (async () => {
      await options.queue.extend(message, options.visibilitySeconds);
      if (taskToken && options.heartbeat) await options.heartbeat(taskToken);
      await putJson(options.store, claimKey, { worker: options.workerId, refreshedAt: now() });
    })().catch(() => undefined);
  }, options.heartbeatSeconds * 1000);
  try {
    const reply = TrainerReplySchema.parse(await options.train(request));
    // Create-only: if a worker that took over a stale claim answered first, its reply stands.
    if (!(await options.store.putIfAbsent(request.replyKey, `${JSON.stringify(reply, null, 2)}\n`))) {
      await answer((await getJsonIfExists(options.store, request.replyKey, TrainerReplySchema))!);
    } else {
      await answer(reply);
    }
    return 'trained';
  } finally {
    clearInterval(keepAlive);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
