import type { Runtime } from '../adapters/runtime.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { StateDefinition } from './definitions.ts';
import { localTaskTokens } from './task-tokens.ts';

const SQS_SEND = 'arn:aws:states:::sqs:sendMessage';
const SQS_SEND_WAIT = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const QUEUE_PLACEHOLDER = /^\$\{queue:([a-z0-9-]+)\}$/;

type Handler = (input: unknown) => Promise<unknown>;

/**
 * Local stand-ins for the AWS service integrations Reverie's definitions use. `sqs:sendMessage` sends to the runtime's
 * queue; `.waitForTaskToken` also swaps the (static, local) `$$.Task.Token` in the message for a fresh token and
 * waits until it is completed, like Step Functions does, failing with States.HeartbeatTimeout when HeartbeatSeconds
 * pass without a heartbeat (aws-local-stepfunctions does not enforce HeartbeatSeconds itself).
 */
export function bindIntegration(workflow: string, stateName: string, state: StateDefinition, runtime: Runtime): Handler | undefined {
  if (state.Resource !== SQS_SEND && state.Resource !== SQS_SEND_WAIT) return undefined;
  const queueUrl = String((state.Parameters as Record<string, unknown> | undefined)?.QueueUrl ?? '');
  const queueName = QUEUE_PLACEHOLDER.exec(queueUrl)?.[1];
  if (!queueName) throw new InvalidInputError(`workflow "${workflow}" state "${stateName}": QueueUrl must be "\${queue:<name>}", got "${queueUrl}"`);
  const waits = state.Resource === SQS_SEND_WAIT;
  const timeoutMs = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds * 1000 : undefined;
  const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
  return async (input) => {
    const { MessageBody } = input as { MessageBody: unknown };
    if (!waits) {
      const id = await runtime.queue(queueName).send(JSON.stringify(MessageBody));
      return { MessageId: id };
    }
    const { token, result } = localTaskTokens.create({ heartbeatSeconds });
    const body = JSON.stringify(MessageBody).replaceAll(LOCAL_STATIC_TOKEN, token);
    if (body === JSON.stringify(MessageBody)) {
      localTaskTokens.forget(token);
      throw new InvalidInputError(`workflow "${workflow}" state "${stateName}": the message must carry the task token ("TaskToken.$": "$$.Task.Token")`);
    }
    await runtime.queue(queueName).send(body);
    // The engine's own TimeoutSeconds rejects the state; forget the token then so a late reply is refused.
    if (timeoutMs) setTimeout(() => localTaskTokens.forget(token), timeoutMs).unref();
    return result;
  };
}

/** The value `$$.Task.Token` resolves to in a local execution's context; replaced per state by a fresh token. */
export const LOCAL_STATIC_TOKEN = '__reverie_local_task_token__';
