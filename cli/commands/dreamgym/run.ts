import { parseArgs } from 'node:util';
import { ENV_OPTIONS, ENV_USAGE, envSpecFrom } from '../../env-options.ts';
import { DreamGymTrainInputSchema } from '../../../core/dreamgym/train/input.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { llmUsageLines } from '../llm-usage.ts';
import { runWorkflowWithProgress } from '../workflow-runner.ts';

export const RUN_USAGE =
  `reverie dreamgym run --env shop|<url> ${ENV_USAGE} --mode synthetic|real|s2r [--iterations N] [--groups G] [--rollouts n] [--policy builtin|llm] [--experience-model builtin|llm] [--dataset ID] [--no-curriculum] [--no-replay-enrichment] [--train-tasks N] [--eval-tasks N] [--train-offset TASK] [--eval-offset TASK] [--train-stride S] [--eval-stride S] [--real-iterations N] [--real-budget INTERACTIONS] [--seed S] [--run-id ID] [--json]`;

export async function run(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string', default: 'shop' }, ...ENV_OPTIONS, mode: { type: 'string' }, iterations: { type: 'string' },
      groups: { type: 'string' }, rollouts: { type: 'string' }, policy: { type: 'string' }, 'experience-model': { type: 'string' },
      dataset: { type: 'string' }, 'no-curriculum': { type: 'boolean', default: false }, 'no-replay-enrichment': { type: 'boolean', default: false },
      'real-iterations': { type: 'string' }, 'real-budget': { type: 'string' },
      seed: { type: 'string' }, 'run-id': { type: 'string' }, 'max-concurrency': { type: 'string' }, 'train-tasks': { type: 'string' }, 'eval-tasks': { type: 'string' },
      'train-offset': { type: 'string' }, 'eval-offset': { type: 'string' }, 'train-stride': { type: 'string' }, 'eval-stride': { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  if (values.mode === undefined) throw new UsageError(`--mode is required (synthetic, real or s2r); usage:\n${RUN_USAGE}`);
  if (values.mode !== 's2r' && (values['real-iterations'] !== undefined || values['real-budget'] !== undefined)) {
    throw new UsageError('--real-iterations and --real-budget apply to --mode s2r only');
  }
  const input = DreamGymTrainInputSchema.parse({
    env: envSpecFrom(values),
    mode: values.mode,
    runId: values['run-id'],
    iterations: intOption(values.iterations, '--iterations', 1, 300),
    groupsPerIteration: intOption(values.groups, '--groups', 1, 10_000),
    rolloutsPerGroup: intOption(values.rollouts, '--rollouts', 2, 64),
    maxConcurrency: intOption(values['max-concurrency'], '--max-concurrency', 1, 1000),
    seed: intOption(values.seed, '--seed', 0, 2 ** 31),
    policy: values.policy ? { kind: values.policy } : undefined,
    experienceModel: {
      kind: values['experience-model'] ?? 'builtin',
      options: values.dataset ? { offlineDataset: values.dataset } : {},
    },
    tasks: {
      trainCount: intOption(values['train-tasks'], '--train-tasks', 1, 1_000_000), evalCount: intOption(values['eval-tasks'], '--eval-tasks', 1, 100_000),
      trainOffset: intOption(values['train-offset'], '--train-offset', 0, 2 ** 31), evalOffset: intOption(values['eval-offset'], '--eval-offset', 0, 2 ** 31),
      trainStride: intOption(values['train-stride'], '--train-stride', 1, 2 ** 31), evalStride: intOption(values['eval-stride'], '--eval-stride', 1, 2 ** 31),
    },
    curriculum: { enabled: !values['no-curriculum'] },
    replay: { enrich: !values['no-replay-enrichment'] },
    s2r: {
      realIterations: intOption(values['real-iterations'], '--real-iterations', 1, 1000),
      realBudget: intOption(values['real-budget'], '--real-budget', 0, 2 ** 31),
    },
  });
  const final = await runWorkflowWithProgress(context, 'dreamgym-train', input, { title: `${input.mode} training`, quiet: values.json });
  // A run the input made impossible (say, no evaluation task left) is the user's to fix: exit 2, as for bad flags
  if (final.status !== 'SUCCEEDED') return final.error?.error === 'InvalidInputError' ? 2 : 1;
  const summary = DreamGymSummarySchema.parse(final.output);
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
  context.out(`DreamGym ${summary.mode} run ${summary.runId}: ${summary.iterations} iterations`);
  context.out(`  real success on held-out real tasks: ${pct(summary.realSuccessBefore)} → ${pct(summary.realSuccessAfter)}`);
  context.out(`  synthetic rollouts ${summary.syntheticRollouts}, real interactions ${summary.realInteractions} ` +
    `(offline data ${summary.offlineInteractions}, evaluation ${summary.evaluationInteractions}, task listing ${summary.setupInteractions})`);
  if (summary.curriculumVariations > 0) {
    const infeasible = summary.curriculumInfeasible === null ? 'not checked' : summary.curriculumInfeasible;
    context.out(`  curriculum variations ${summary.curriculumVariations}, infeasible in the real environment (checked at evaluation): ${infeasible}`);
  }
  const { evaluation, training } = summary.curriculumDuplicatesDropped;
  if (evaluation + training > 0) context.out(`  curriculum variations dropped as duplicates: ${evaluation} of evaluation goals, ${training} of training goals`);
  context.out(`  curve: ${summary.curve.map(([i, s]) => `${i}:${pct(s)}`).join('  ')}`);
  if (summary.failedGroups > 0) context.out(`  failed groups ${summary.failedGroups} (left out of training)`);
  for (const line of llmUsageLines(summary.llm)) context.out(line);
  for (const note of summary.notes) context.out(`  note: ${note}`);
  return 0;
}
