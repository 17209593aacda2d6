import { parseArgs } from 'node:util';
import { ENV_OPTIONS, ENV_USAGE, envSpecFrom } from '../../env-options.ts';
import { EarlyExperienceInputSchema } from '../../../core/early/input.ts';
import { requireExpertDemonstrations } from '../../../core/early/expert-demos.ts';
import { EarlySummarySchema } from '../../../core/early/summary.ts';
import { intOption, UsageError, type Command } from '../../context.ts';
import { llmUsageLines } from '../llm-usage.ts';
import { runWorkflowWithProgress } from '../workflow-runner.ts';

const USAGE =
  `reverie early run --env shop|<url> ${ENV_USAGE} [--k 4] [--dataset ID] [--experts N] [--replay-buffer ID] [--alternatives auto|uniform|policy] [--reflections auto|teacher|template] [--max-concurrency N] [--seed S] [--json]`;

export const earlyCommand: Command = {
  name: 'early',
  summary: 'early experience: branch alternatives from expert states into IWM and SR datasets',
  usage: USAGE,
  async run(args, context) {
    const [sub, ...rest] = args;
    if (sub !== 'run') throw new UsageError(`unknown early subcommand "${sub ?? ''}"; usage:\n${USAGE}`);
    const { values } = parseArgs({
      args: rest,
      options: {
        env: { type: 'string' }, ...ENV_OPTIONS, k: { type: 'string' }, dataset: { type: 'string' }, experts: { type: 'string' },
        'replay-buffer': { type: 'string' }, alternatives: { type: 'string' }, reflections: { type: 'string' },
        'max-concurrency': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false },
      },
    });
    const input = EarlyExperienceInputSchema.parse({
      env: envSpecFrom(values), dataset: values.dataset, k: intOption(values.k, '--k', 1, 64), experts: intOption(values.experts, '--experts', 1, 100_000),
      replayBuffer: values['replay-buffer'], alternatives: values.alternatives, reflections: values.reflections,
      maxConcurrency: intOption(values['max-concurrency'], '--max-concurrency', 1, 64), seed: intOption(values.seed, '--seed', 0, 2 ** 31),
    });
    if (input.dataset) await requireExpertDemonstrations(context.runtime().store, input.dataset);
    const final = await runWorkflowWithProgress(context, 'early-experience', input, { title: 'branching expert states', quiet: values.json });
    if (final.status !== 'SUCCEEDED') return 1;
    const summary = EarlySummarySchema.parse(final.output);
    if (values.json) {
      const { expertStates, alternatives, iwmRecords, srRecords, datasets, ...rest } = summary;
      context.out(JSON.stringify({ expertStates, alternatives, iwmRecords, srRecords, datasets, ...rest }, null, 2));
      return 0;
    }
    context.out(`early experience ${summary.runId} on ${summary.env} (K = ${summary.k})`);
    context.out(`  expert states ${summary.expertStates}, alternatives ${summary.alternatives}${summary.statesShortOfK ? ` (${summary.statesShortOfK} states had fewer than K admissible alternatives: all used)` : ''}`);
    context.out(`  IWM records ${summary.iwmRecords} → ${summary.datasets.iwm}`);
    context.out(`  SR records ${summary.srRecords} (${summary.reflectionsBy}) → ${summary.datasets.sr}`);
    if (summary.divergedCount) context.out(`  skipped ${summary.divergedCount} trajectories that no longer replay: ${summary.diverged.map((d) => d.trajectoryId).join(', ')}`);
    if (summary.malformedCount) context.out(`  skipped ${summary.malformedCount} malformed expert records`);
    if (summary.replay) context.out(`  appended ${summary.replay.appended} transitions to replay buffer ${summary.replay.buffer}`);
    for (const line of llmUsageLines(summary.llm)) context.out(line);
    return 0;
  },
};
