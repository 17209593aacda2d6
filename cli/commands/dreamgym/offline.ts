import { parseArgs } from 'node:util';
import { ENV_OPTIONS, ENV_USAGE, envSpecFrom } from '../../env-options.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { intOption, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';

export const OFFLINE_USAGE = `reverie dreamgym offline --env shop|<url> ${ENV_USAGE} [--expert N] [--noisy N] [--random M] [--seed S] [--task-offset O] [--task-stride S] [--tasks T] [--dataset ID] [--json]`;

export async function offline(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string', default: 'shop' }, ...ENV_OPTIONS, expert: { type: 'string' }, noisy: { type: 'string' }, random: { type: 'string' },
      seed: { type: 'string' }, 'task-offset': { type: 'string' }, 'task-stride': { type: 'string' }, tasks: { type: 'string' }, dataset: { type: 'string' },
      concurrency: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const request = OfflineDatasetRequestSchema.parse({
    env: envSpecFrom(values),
    expert: intOption(values.expert, '--expert', 0, 1_000_000),
    noisy: intOption(values.noisy, '--noisy', 0, 1_000_000),
    random: intOption(values.random, '--random', 0, 1_000_000),
    seed: intOption(values.seed, '--seed', 0, 2 ** 31),
    taskOffset: intOption(values['task-offset'], '--task-offset', 0, 1_000_000),
    taskStride: intOption(values['task-stride'], '--task-stride', 1, 1_000_000),
    taskCount: intOption(values.tasks, '--tasks', 1, 1_000_000),
    concurrency: intOption(values.concurrency, '--concurrency', 1, 256),
    dataset: values.dataset,
  });
  const progress = createProgress('offline episodes', { quiet: values.json });
  const dataset = await createOfflineDataset(context.runtime().store, request, (done, total) => progress.update(done, total));
  progress.done();
  if (values.json) {
    context.out(JSON.stringify(dataset, null, 2));
  } else {
    context.out(`dataset ${dataset.id}: ${dataset.trajectories} trajectories, ${dataset.transitions} transitions, success rate ${dataset.successRate.toFixed(3)}`);
    context.out(`stored under ${context.runtime().store.uri}/dreamgym/offline/${dataset.id}/`);
  }
  return 0;
}
