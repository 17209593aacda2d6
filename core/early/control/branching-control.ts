import { evaluateConsistency } from '../../dreamgym/consistency/evaluate-consistency.ts';
import { HashedTextEmbedder } from '../../dreamgym/embed/hashed-embedder.ts';
import { BuiltinExperienceModel } from '../../dreamgym/experience/builtin/index.ts';
import type { TrajectoryRecord } from '../../dreamgym/offline/trajectory-record.ts';
import { trajectoryTransitions } from '../../dreamgym/replay/from-trajectory.ts';
import { ReplayBuffer } from '../../dreamgym/replay/replay-buffer.ts';
import { seedReplayBuffer } from '../../dreamgym/replay/seed.ts';
import type { Store } from '../../store/store.ts';
import { sizeMatchedControl } from './size-matched-control.ts';
import { environmentKind } from '../../env/environment-kinds.ts';

/** Next-state agreement of the built-in experience model over one buffer, overall and per held-out policy. */
export interface BufferAgreement {
  /** Transitions in the buffer. */
  readonly bufferTransitions: number;
  readonly nextStateAgreement: number;
  readonly byPolicy: Readonly<Record<string, { readonly transitions: number; readonly nextStateAgreement: number }>>;
}

/** One seed of the comparison: the same expert buffer alone, with the branches, and with the size-matched control. */
export interface BranchingControlSeed {
  readonly seed: number;
  readonly heldOutTransitions: number;
  /** Transitions added on top of the experts: branch transitions, and the control's plain episodes. */
  readonly added: { readonly branching: number; readonly control: number };
  readonly experts: BufferAgreement;
  readonly branching: BufferAgreement;
  readonly control: BufferAgreement;
}

export interface BranchingControlOptions {
  readonly store: Store;
  /** The offline dataset of expert demonstrations every buffer starts from. */
  readonly dataset: string;
  /** The environment the dataset was played in (`shop` by default); its kind scores agreement and plays the control. */
  readonly env?: string;
  /** The catalog and tasks (0 … taskCount − 1) the dataset was played on; the control plays the same tasks. */
  readonly shopSeed: number;
  readonly taskCount: number;
  /** Seed of the control's episodes (and part of the buffer ids). */
  readonly seed: number;
  /** Real trajectories on tasks none of the buffers holds. */
  readonly heldOut: readonly TrajectoryRecord[];
  /** Branches from `dataset`, appending the branch transitions to the replay buffer `bufferId`. */
  branch(bufferId: string): Promise<unknown>;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

/**
 * Early experience's replay-enrichment claim with its control beside it: three replay buffers of the same expert
 * demonstrations — alone, plus the branch transitions (K alternatives executed from expert states), plus as many
 * transitions of plain noisy/random episodes on the same tasks (`sizeMatchedControl`) — each scored by next-state
 * agreement of the built-in experience model on held-out trajectories. `branching − control` is what branching
 * adds beyond more real data.
 *
 * @example
 * const seed = await measureBranchingAgainstControl({ store, dataset, shopSeed: 1, taskCount: 200, seed: 1, heldOut,
 *   branch: (bufferId) => runEarlyExperience({ dataset, k: 4, shopSeed: 1, replayBuffer: bufferId }, { store }) });
 * seed.branching.nextStateAgreement - seed.control.nextStateAgreement;
 */
export async function measureBranchingAgainstControl(options: BranchingControlOptions): Promise<BranchingControlSeed> {
  const { store, dataset, seed } = options;
  const kind = environmentKind(options.env ?? 'shop');
  const open = async (id: string) => {
    const buffer = await ReplayBuffer.open({ store, id, embedder: new HashedTextEmbedder() });
    await seedReplayBuffer(buffer, dataset);
    return buffer;
  };
  const experts = await open(`${dataset}-experts`);
  const branching = await open(`${dataset}-branching-s${seed}`);
  const control = await open(`${dataset}-control-s${seed}`);
  options.onProgress?.(0, 1, 'branching expert states');
  await options.branch(branching.id);
  await branching.refresh();
  // Measured on the buffers themselves, so a re-run whose branches were committed earlier still counts them.
  const branched = branching.size - experts.size;
  options.onProgress?.(0, 1, 'size-matched control episodes');
  const episodes = await sizeMatchedControl({ env: options.env, shopSeed: options.shopSeed, taskCount: options.taskCount, transitions: branched, seed });
  await control.append(`control-${dataset}-s${seed}`, episodes.flatMap((r) => trajectoryTransitions(r, 'offline')));
  const byPolicy = new Map<string, TrajectoryRecord[]>();
  for (const record of options.heldOut) byPolicy.set(record.policy, [...(byPolicy.get(record.policy) ?? []), record]);
  const heldOutTransitions = options.heldOut.reduce((n, r) => n + r.steps.length, 0);
  let scored = 0;
  const score = async (buffer: ReplayBuffer): Promise<BufferAgreement> => {
    const parts: Record<string, { transitions: number; nextStateAgreement: number }> = {};
    let agree = 0;
    for (const [policy, trajectories] of byPolicy) {
      const base = scored;
      const report = await evaluateConsistency({
        model: new BuiltinExperienceModel({ buffer, kind }), trajectories, agreement: kind.stateAgreement, examples: 0,
        onProgress: (done) => options.onProgress?.(base + done, 3 * heldOutTransitions, 'scoring agreement on held-out trajectories'),
      });
      scored += report.transitions;
      parts[policy] = { transitions: report.transitions, nextStateAgreement: report.nextStateAgreement };
      agree += report.nextStateAgreement * report.transitions;
    }
    return { bufferTransitions: buffer.size, nextStateAgreement: heldOutTransitions === 0 ? 0 : agree / heldOutTransitions, byPolicy: parts };
  };
  return {
    seed, heldOutTransitions,
    added: { branching: branched, control: control.size - experts.size },
    experts: await score(experts), branching: await score(branching), control: await score(control),
  };
}
