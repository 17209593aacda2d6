import { parseArgs } from 'node:util';
import { ENV_OPTIONS, ENV_USAGE, envSpecFrom } from '../../env-options.ts';
import { ConsistencyRequestSchema, runConsistency } from '../../../core/dreamgym/consistency/run-consistency.ts';
import { intOption, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';
import { llmUsageLines } from '../llm-usage.ts';

export const CONSISTENCY_USAGE =
  `reverie dreamgym consistency --env shop|<url> ${ENV_USAGE} [--dataset ID] [--model builtin|llm] [--embedder hashed|openai|onnx:<file>] [--held-out N] [--json]`;

export async function consistency(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string', default: 'shop' }, ...ENV_OPTIONS, dataset: { type: 'string' }, model: { type: 'string' }, embedder: { type: 'string' },
      'held-out': { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const runtime = context.runtime();
  const request = ConsistencyRequestSchema.parse({
    env: envSpecFrom(values), dataset: values.dataset, model: values.model, embedder: values.embedder,
    heldOut: intOption(values['held-out'], '--held-out', 1, 100_000), k: intOption(values.k, '--k', 1, 32),
    seed: intOption(values.seed, '--seed', 0, 2 ** 31),
  });
  const progress = createProgress('replaying held-out transitions', { quiet: values.json });
  const report = await runConsistency(runtime.store, request, {
    config: runtime.config, log: runtime.log, chat: runtime.chat('experience'), onProgress: (d, t) => progress.update(d, t),
  });
  progress.done();
  const headline = {
    transitions: report.transitions,
    agreement: report.agreement,
    nextStateAgreement: report.nextStateAgreement,
    rewardAgreement: report.rewardAgreement,
    invalidAgreement: report.invalidAgreement,
    unseen: report.unseen && { transitions: report.unseen.transitions, nextStateAgreement: report.unseen.nextStateAgreement, rewardAgreement: report.unseen.rewardAgreement },
  };
  if (values.json) {
    context.out(JSON.stringify({ ...headline, invalidActionAgreement: report.invalidActionAgreement, byKind: report.byKind, strictTextAgreement: report.strictTextAgreement, doneAgreement: report.doneAgreement, dataset: report.dataset, heldOutTrajectories: report.heldOutTrajectories, bufferTransitions: report.bufferTransitions, latencyMs: report.latencyMs, failures: report.failures, llm: report.llm }, null, 2));
    return 0;
  }
  context.out(`experience model ${request.model} learned from ${report.dataset} (${report.bufferTransitions} buffered transitions)`);
  context.out(`held-out transitions        ${report.transitions} (${report.heldOutTrajectories} trajectories)`);
  context.out(`next-state agreement        ${report.nextStateAgreement.toFixed(4)} (${report.agreement}; whole text ${report.strictTextAgreement.toFixed(4)})`);
  context.out(`terminal reward agreement   ${report.rewardAgreement.toFixed(4)}`);
  context.out(`invalid-action agreement    ${report.invalidAgreement.toFixed(4)}`);
  if (report.unseen) {
    context.out(`pairs absent from buffer    ${report.unseen.transitions}: next-state ${report.unseen.nextStateAgreement.toFixed(4)}, ` +
      `reward ${report.unseen.rewardAgreement.toFixed(4)} (${report.unseen.terminalTransitions} terminal)`);
  }
  context.out(`step latency p50 / p99      ${report.latencyMs.p50.toFixed(2)} / ${report.latencyMs.p99.toFixed(2)} ms`);
  if (report.failures.count > 0) context.out(`steps the model failed      ${report.failures.count} (first: ${report.failures.messages[0]})`);
  for (const line of llmUsageLines(report.llm)) context.out(line);
  return 0;
}
