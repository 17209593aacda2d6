import { createRng, hashSeed } from '../random.ts';
import type { EnvironmentSession, StepResult } from '../env/environment.ts';
import { candidateActions } from '../env/candidate-actions.ts';
import { ReplayDivergenceError } from '../env/errors.ts';
import type { TrajectoryRecord } from '../dreamgym/offline/trajectory-record.ts';
import { chooseAlternatives } from './alternatives.ts';
import type { ProposedAction } from './alternatives.ts';
import type { BranchOutcome, BranchRecord } from './branch-record.ts';
import { proposeFromPolicy } from './policy-proposals.ts';
import type { PolicySampling } from './policy-proposals.ts';

export interface BranchSettings {
  readonly k: number;
  readonly seed: number;
  /** Present when alternatives are sampled from the policy LLM before the uniform fill. */
  readonly sampling?: PolicySampling;
  /**
   * A second session of the same environment to execute the alternatives in, so the walking session never leaves
   * the expert path and needs no restore of its own (for environments whose restore replays the prefix, one fewer
   * replay per state). Without it the walking session branches and is restored before each expert step.
   */
  readonly brancher?: EnvironmentSession;
}

/**
 * Walks one expert trajectory in the real environment and branches at every expert state: it replays the expert's
 * actions from reset, and at each state s_i takes a snapshot, executes each of the K alternatives from a restore of
 * it (in the brancher session when given), then executes the expert action on the expert path. Every observation of
 * the replay is checked against the recorded one; the first difference throws `ReplayDivergenceError`, and the caller
 * skips the trajectory.
 *
 * @example
 * const records = await branchTrajectory(await shop.open(), demo, { k: 4, seed: 0, brancher: await shop.open() });
 * records[1].alternatives.map((a) => a.action); // ['click[next >]', 'click[P0173]', …], never demo.steps[1].action
 */
export async function branchTrajectory(
  session: EnvironmentSession,
  demo: TrajectoryRecord,
  settings: BranchSettings,
): Promise<BranchRecord[]> {
  const first = await session.reset(demo.task);
  if (first.text !== demo.steps[0].state) throw new ReplayDivergenceError(demo.task.id, 0, undefined);
  const instruction = session.task?.instruction || demo.task.instruction;
  const seen = [first.text];
  const records: BranchRecord[] = [];
  for (const [i, step] of demo.steps.entries()) {
    const state = seen[seen.length - 1];
    // Search pages offer their template filled from the instruction, so alternatives include other searches.
    const admissibleActions = await candidateActions(session, instruction, state);
    const snapshot = await session.snapshot();
    const seed = hashSeed(`early:${settings.seed}:${demo.id}:${i}`);
    const proposals = settings.sampling
      ? await proposeFromPolicy(settings.sampling, { instruction, state, admissible: admissibleActions, count: settings.k, seed })
      : [];
    const chosen = chooseAlternatives({ expertAction: step.action, admissible: admissibleActions, k: settings.k, rng: createRng(seed), proposals });
    const brancher = settings.brancher ?? session;
    const alternatives: BranchOutcome[] = [];
    for (const alternative of chosen) {
      await brancher.restore(snapshot);
      alternatives.push(outcomeOf(alternative, await brancher.step(alternative.action), seen));
    }
    if (brancher === session && chosen.length > 0) await session.restore(snapshot);
    const result = await session.step(step.action);
    const last = i === demo.steps.length - 1;
    if (result.observation.text !== step.nextState || (result.done && !last)) {
      throw new ReplayDivergenceError(demo.task.id, i + 1, step.action);
    }
    records.push({
      id: `${demo.id}#${i}`, trajectoryId: demo.id, stepIndex: i, taskId: demo.task.id, instruction, goal: demo.task.goal, env: demo.env,
      state, snapshot, admissibleActions,
      expert: outcomeOf({ action: step.action, proposer: 'expert' }, result, seen),
      alternatives, requestedK: settings.k, episodeReward: demo.finalReward,
    });
    seen.push(result.observation.text);
  }
  return records;
}

function outcomeOf(proposed: ProposedAction, result: StepResult, seen: readonly string[]): BranchOutcome {
  const nextState = result.observation.text;
  return {
    action: proposed.action, proposer: proposed.proposer, nextState,
    reward: result.reward, done: result.done, valid: result.valid, revisits: seen.includes(nextState),
  };
}
