import { addLlmUsage, type LlmUsage } from '../../../core/llm/accounting.ts';
import { heldOutTrajectories } from '../../../core/dreamgym/consistency/held-out.ts';
import { createOfflineDataset, OfflineDatasetRequestSchema } from '../../../core/dreamgym/offline/create-dataset.ts';
import { measureBranchingAgainstControl, summarizeBranchingControl, type BranchingControlSeed } from '../../../core/early/control/index.ts';
import { EarlySummarySchema, type EarlySummary } from '../../../core/early/summary.ts';
import { BranchingControlResultSchema } from '../../../core/report/report-model.ts';
import type { MeanInterval } from '../../../core/stats/mean-interval.ts';
import { runWorkflowWithProgress } from '../workflow-runner.ts';
import type { Part, PartContext, PartResult } from './part.ts';

const K = 4;
const SCALE = {
  full: { experts: 200, heldOut: 200, seeds: [1, 2, 3, 4, 5] },
  quick: { experts: 20, heldOut: 20, seeds: [1, 2] },
} as const;

/**
 * Early experience on `shop`: branch K = 4 alternatives from 200 expert demonstrations, build the IWM and SR
 * datasets, and measure what the branch transitions do for the built-in experience model (replay enrichment) next to
 * a size-matched control — the same demonstrations plus as many transitions of plain noisy/random episodes — by
 * next-state agreement on held-out trajectories, over several seeds (catalog, branching, control and held-out set).
 */
export const earlyPart: Part = {
  name: 'early',
  title: 'Early experience (shop, K = 4)',
  async run(context: PartContext): Promise<PartResult> {
    const { store } = context.runtime;
    const { experts, heldOut: heldOutCount, seeds } = SCALE[context.scale];
    const perSeed: BranchingControlSeed[] = [];
    let first: { summary: EarlySummary; dataset: string } | undefined;
    const llm: LlmUsage[] = [];
    for (const seed of seeds) {
      const dataset = `start-experts-${experts}-s${seed}`;
      await createOfflineDataset(store, OfflineDatasetRequestSchema.parse({ expert: experts, seed, taskCount: experts, dataset }));
      const heldOut = await heldOutTrajectories({ env: 'shop', count: heldOutCount, range: { start: 100_000, end: 200_000 }, seed: seed + 1, shopSeed: seed });
      const progress = context.progress(`seed ${seed}: consistency of experts / +branches / +control`);
      perSeed.push(await measureBranchingAgainstControl({
        store, dataset, shopSeed: seed, taskCount: experts, seed, heldOut,
        branch: async (replayBuffer) => {
          const execution = await runWorkflowWithProgress(context.cli, 'early-experience', { dataset, k: K, experts, seed, shopSeed: seed, replayBuffer }, {
            title: `seed ${seed}: branching expert states`, quiet: context.quiet,
          });
          if (execution.status !== 'SUCCEEDED') throw new Error(`early-experience ${execution.status}: ${execution.error?.cause ?? ''}`);
          const parsed = EarlySummarySchema.parse(execution.output);
          llm.push(parsed.llm);
          first ??= { summary: parsed, dataset };
        },
        onProgress: (done, total, stage) => stage.startsWith('scoring') && progress.update(done, total),
      }));
      progress.done();
    }
    const { summary, dataset } = first!;
    const control = summarizeBranchingControl(perSeed);
    const points = (m: MeanInterval) => `${(m.mean * 100).toFixed(1)} [${(m.ci95[0] * 100).toFixed(1)}, ${(m.ci95[1] * 100).toFixed(1)}]`;
    return {
      llm: addLlmUsage(...llm),
      report: {
        early: {
          env: 'shop', k: K, expertStates: summary.expertStates, alternatives: summary.alternatives, iwmRecords: summary.iwmRecords,
          srRecords: summary.srRecords, srWriter: summary.reflectionsBy, datasets: summary.datasets,
          branchingControl: BranchingControlResultSchema.parse({ ...control, heldOutTrajectories: heldOutCount }),
        },
      },
      datasets: [
        { name: 'early: IWM', records: summary.iwmRecords, uri: summary.datasets.iwm },
        { name: 'early: SR', records: summary.srRecords, uri: summary.datasets.sr },
        { name: 'early: expert demonstrations', records: experts, uri: `${store.uri}/dreamgym/offline/${dataset}/` },
      ],
      summary: [
        [`early: expert states / alternatives (seed ${seeds[0]})`, `${summary.expertStates} / ${summary.alternatives}`],
        ['early: IWM / SR records', `${summary.iwmRecords} / ${summary.srRecords} (${summary.reflectionsBy})`],
        [`early: next-state agreement, experts → +branches / +control (${seeds.length} seeds)`,
          `${control.agreement.experts.mean.toFixed(3)} → ${control.agreement.branching.mean.toFixed(3)} / ${control.agreement.control.mean.toFixed(3)}`],
        ['early: branching − size-matched control, points [95% CI]', `${points(control.difference.branchingMinusControl)} (branching − experts ${points(control.difference.branchingMinusExperts)})`],
      ],
      seeds: { earlySeeds: seeds.length, earlyFirstSeed: seeds[0], earlyHeldOutSeedOffset: 1 },
    };
  },
};
