import { evaluateConsistency } from '../../../core/dreamgym/consistency/index.ts';
import { heldOutTrajectories } from '../../../core/dreamgym/consistency/held-out.ts';
import { HashedTextEmbedder } from '../../../core/dreamgym/embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../../../core/dreamgym/experience/builtin/index.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { ReplayBuffer, seedReplayBuffer } from '../../../core/dreamgym/replay/index.ts';
import { EarlySummarySchema } from '../../../core/early/summary.ts';
import type { Store } from '../../../core/store/store.ts';
import { runWorkflowWithProgress } from '../workflow-runner.ts';
import type { Part, PartContext, PartResult } from './part.ts';

const K = 4;
const SEED = 1;
const SCALE = { full: { experts: 200, heldOut: 200 }, quick: { experts: 20, heldOut: 20 } } as const;

/**
 * Early experience on `shop`: branch K = 4 alternatives from 200 expert demonstrations, build the IWM and SR
 * datasets, and measure how much the branch transitions improve the built-in experience model (replay enrichment):
 * next-state agreement on held-out trajectories with a buffer of the demonstrations alone, then with the branches.
 */
export const earlyPart: Part = {
  name: 'early',
  title: 'Early experience (shop, K = 4)',
  async run(context: PartContext): Promise<PartResult> {
    const { store } = context.runtime;
    const { experts, heldOut: heldOutCount } = SCALE[context.scale];
    const dataset = `start-experts-${experts}-s${SEED}`;
    await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: experts, seed: SEED, taskCount: experts, dataset }));
    const before = await seededBuffer(store, `${dataset}-before`, dataset);
    const after = await seededBuffer(store, `${dataset}-enriched`, dataset);
    const execution = await runWorkflowWithProgress(context.cli, 'early-experience', { dataset, k: K, experts: experts, shopSeed: SEED, replayBuffer: after.id }, {
      title: 'branching expert states', quiet: context.quiet,
    });
    if (execution.status !== 'SUCCEEDED') throw new Error(`early-experience ${execution.status}: ${execution.error?.cause ?? ''}`);
    const summary = EarlySummarySchema.parse(execution.output);
    await after.refresh();
    const heldOut = await heldOutTrajectories({ env: 'shop', count: heldOutCount, taskOffset: 100_000, seed: SEED + 1, shopSeed: SEED });
    const progress = context.progress('consistency before/after enrichment');
    const agreement = async (buffer: ReplayBuffer, offset: number) =>
      (await evaluateConsistency({ model: new BuiltinExperienceModel({ buffer }), trajectories: heldOut, examples: 0, onProgress: (d, t) => progress.update(offset + d, 2 * t) })).nextStateAgreement;
    const enrichment = { before: await agreement(before, 0), after: await agreement(after, heldOut.reduce((n, r) => n + r.steps.length, 0)) };
    progress.done();
    return {
      report: {
        early: {
          env: 'shop', k: K, expertStates: summary.expertStates, alternatives: summary.alternatives, iwmRecords: summary.iwmRecords,
          srRecords: summary.srRecords, srWriter: summary.reflectionsBy, datasets: summary.datasets, enrichment,
        },
      },
      datasets: [
        { name: 'early: IWM', records: summary.iwmRecords, uri: summary.datasets.iwm },
        { name: 'early: SR', records: summary.srRecords, uri: summary.datasets.sr },
        { name: 'early: expert demonstrations', records: experts, uri: `${store.uri}/dreamgym/offline/${dataset}/` },
      ],
      summary: [
        ['early: expert states / alternatives', `${summary.expertStates} / ${summary.alternatives}`],
        ['early: IWM / SR records', `${summary.iwmRecords} / ${summary.srRecords} (${summary.reflectionsBy})`],
        ['early: next-state agreement before → after enrichment', `${enrichment.before.toFixed(3)} → ${enrichment.after.toFixed(3)} (${((enrichment.after - enrichment.before) * 100).toFixed(1)} points)`],
      ],
      seeds: { early: SEED, earlyHeldOut: SEED + 1 },
    };
  },
};

async function seededBuffer(store: Store, id: string, dataset: string): Promise<ReplayBuffer> {
  const buffer = await ReplayBuffer.open({ store, id, embedder: new HashedTextEmbedder() });
  await seedReplayBuffer(buffer, dataset);
  return buffer;
}
