import { InvalidInputError, UnavailableError } from '../../../errors.ts';
import { getJsonIfExists } from '../../../store/json.ts';
import type { TrainDeps } from '../deps.ts';
import { writePolicy } from '../policy-store.ts';
import { readRun } from '../run-record.ts';
import { runKeys } from '../run-keys.ts';
import { writeOnce } from '../write-once.ts';
import { TrainerReplySchema } from './trainer-messages.ts';
import type { TrainerReply, TrainerRequest } from './trainer-messages.ts';
import { TrainResultSchema, versionOf } from './train-policy.ts';
import type { TrainResult } from './train-policy.ts';

/**
 * The local path of the external-trainer hand-off (no task tokens): send the batch's request on the trainer queue
 * (SQS when REVERIE_QUEUES names one, in-process otherwise), then wait for the trainer's reply object in the store.
 * A reply already there (a re-run) is used without sending again.
 *
 * @example
 * await handOffToTrainer({ runId, iteration: 1, request: batch.handoff! }, deps); // waits for trainer-reply.json
 */
export async function handOffToTrainer(
  input: { runId: string; iteration: number; request: TrainerRequest },
  deps: TrainDeps,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<TrainResult> {
  const { runId, iteration, request } = input;
  const run = await readRun(deps.store, runId);
  const { queue: queueName, timeoutSeconds, pollSeconds } = run.input.trainer;
  let reply = await getJsonIfExists(deps.store, request.replyKey, TrainerReplySchema);
  if (!reply) {
    if (!deps.queue) throw new InvalidInputError('the external trainer hand-off needs a queue, and this host has none');
    await deps.queue(queueName).send(JSON.stringify({ request }));
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (!reply) {
      if (Date.now() >= deadline) {
        throw new UnavailableError(`the external trainer did not answer iteration ${iteration} of run ${runId} ` +
          `within ${timeoutSeconds} s (expected ${request.replyKey} in ${deps.store.uri})`);
      }
      await sleep(pollSeconds * 1000);
      reply = await getJsonIfExists(deps.store, request.replyKey, TrainerReplySchema);
    }
  }
  return recordTrainerReply({ runId, iteration, reply }, deps);
}

/** Records the trainer's reply (from the store, or the output of the AWS task-token state) as the next policy. */
export async function recordTrainerReply(
  input: { runId: string; iteration: number; reply: TrainerReply },
  deps: TrainDeps,
): Promise<TrainResult> {
  const { runId, iteration, reply } = input;
  const keys = runKeys(runId);
  const stored = await writeOnce(deps.store, keys.trainerReply(iteration), reply, TrainerReplySchema);
  const policy = await writePolicy(deps.store, runId, { iteration, trained: true, note: stored.note, policy: stored.policy });
  return writeOnce(deps.store, keys.train(iteration), {
    iteration, trained: true, policyVersion: versionOf(policy), ...(stored.note ? { note: stored.note } : {}),
  }, TrainResultSchema);
}
