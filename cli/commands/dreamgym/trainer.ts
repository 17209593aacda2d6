import { execFile } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { UnavailableError } from '../../../core/errors.ts';
import { handleTrainerMessage } from '../../../core/dreamgym/train/trainer-worker.ts';
import type { TrainerRequest } from '../../../core/dreamgym/train/steps/trainer-messages.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';

export const TRAINER_USAGE = 'reverie dreamgym trainer --command "<training command>" [--queue trainer] [--visibility S] [--heartbeat S] [--max-messages N]';

/**
 * The reference trainer worker: a separate process that reads the trainer queue and runs the training command once
 * per (run, iteration). The command gets the request as JSON in REVERIE_TRAINER_REQUEST (the batch's store URI and
 * keys) and prints the new policy's model name as its last line of output. While it runs, the worker extends the
 * message's visibility and sends SendTaskHeartbeat (task-token hand-off on AWS), every --heartbeat seconds.
 */
export async function trainer(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      command: { type: 'string' }, queue: { type: 'string', default: 'trainer' }, visibility: { type: 'string' },
      heartbeat: { type: 'string' }, 'max-messages': { type: 'string' },
    },
  });
  if (!values.command) throw new UsageError(`--command is required\nusage: ${TRAINER_USAGE}`);
  const visibilitySeconds = intOption(values.visibility, '--visibility', 1, 43_200) ?? 900;
  const heartbeatSeconds = intOption(values.heartbeat, '--heartbeat', 1, 43_200) ?? Math.max(1, Math.floor(visibilitySeconds / 3));
  if (heartbeatSeconds >= visibilitySeconds) throw new UsageError('--heartbeat must be shorter than --visibility');
  const maxMessages = intOption(values['max-messages'], '--max-messages', 1, 1_000_000);
  const runtime = context.runtime();
  const queue = runtime.queue(values.queue);
  const engine = await runtime.engine();
  const options = {
    queue, store: runtime.store, visibilitySeconds, heartbeatSeconds, workerId: `${os.hostname()}:${process.pid}`,
    train: (request: TrainerRequest) => runCommand(values.command!, request),
    complete: (token: string, reply: unknown) => engine.completeTask(token, { output: reply }),
    heartbeat: (token: string) => engine.heartbeatTask(token),
  };
  let handled = 0;
  while (maxMessages === undefined || handled < maxMessages) {
    const [message] = await queue.receive({ waitSeconds: 10, visibilityTimeoutSeconds: visibilitySeconds });
    if (!message) continue;
    const outcome = await handleTrainerMessage(message, options);
    runtime.log.info('trainer message handled', { id: message.id, outcome, receiveCount: message.receiveCount });
    if (outcome === 'trained' || outcome === 'answered-again') handled++;
  }
  return 0;
}

function runCommand(command: string, request: TrainerRequest): Promise<{ policy: { kind: 'llm'; model: string } }> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { env: { ...process.env, REVERIE_TRAINER_REQUEST: JSON.stringify(request) }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new UnavailableError(`training command failed for iteration ${request.iteration} of ${request.runId}: ${stderr.trim().slice(-500) || error.message}`));
        const model = stdout.trim().split('\n').at(-1)?.trim();
        if (!model) return reject(new UnavailableError('the training command printed no model name'));
        resolve({ policy: { kind: 'llm', model } });
      });
  });
}
