import type { Features, PolicyFeatures } from '../../env/environment-kind.ts';
import { roundWeights, type BuiltinPolicyParams } from '../policy/params.ts';
import { softmax } from '../policy/softmax.ts';
import { trainableTurns } from '../rollout/trajectory.ts';
import type { Trajectory } from '../rollout/trajectory.ts';
import { adamState, adamStep, DEFAULT_OPTIMIZER, GrpoOptimizer, OPTIMIZER_DEFAULTS, storedAdamState } from './optimizer.ts';
import { StepCreditKind, stepAdvantages } from './step-credit.ts';

export interface GrpoOptions {
  /** The environment kind's features the policy acts with. */
  readonly features: PolicyFeatures;
  /** DEFAULT_OPTIMIZER by default. */
  readonly optimizer?: GrpoOptimizer;
  /** Step size; OPTIMIZER_DEFAULTS[optimizer] by default. */
  readonly learningRate?: number;
  /** Passes over the batch; later passes use the clipped importance ratio. 4 by default. */
  readonly epochs?: number;
  /** PPO/GRPO clip range ε of the ratio π_θ / π_old; 0.2 by default. */
  readonly clip?: number;
  /** Largest gradient norm per step; 5 by default. */
  readonly maxGradNorm?: number;
  /**
   * β of the KL penalty −β·KL(π_θ ‖ π_ref) against the reference policy, the one the batch's update starts from
   * (the previous policy version), as verl's GRPO trainer adds it to the loss; 0 turns it off.
   * OPTIMIZER_DEFAULTS[optimizer] by default.
   */
  readonly klCoefficient?: number;
  /**
   * γ of the turn credit: a turn k turns before the episode's last gets γ^k of the trajectory's advantage, as PPO's
   * discounted returns give it (verl's `algorithm.gamma`), so the wandering turns of a long episode get less of its
   * outcome than the turns that decided it. 1 gives every turn the whole advantage (plain GRPO).
   * DEFAULT_TURN_DISCOUNT by default.
   */
  readonly turnDiscount?: number;
  /**
   * ω of the per-turn credit: the update maximises (1 − ω)·GRPO's objective (the episode's advantage, discounted as
   * above, on every turn, each episode's turns sharing 1/(G·|o_i|)) + ω·the per-turn objective (each turn's step
   * advantage, `stepCreditKind`, from the same task's turns at the same state, see step-credit.ts; every turn of the
   * batch weighs 1/N, as verl-agent trains GiGPO with each step its own sample). 0 is plain GRPO, 1 per-turn credit
   * only. DEFAULT_STEP_CREDIT by default.
   */
  readonly stepCredit?: number;
  /** How the step advantage is computed; DEFAULT_STEP_CREDIT_KIND by default. */
  readonly stepCreditKind?: StepCreditKind;
}

/**
 * The gradient-norm limit when a run names none (with Adam at 0.1 on 12 validation catalogs, 5 / 0.02 / 0.005 gave
 * 97.0% / 97.0% / 96.8% with no collapse; a tie, so the limit stays; see README).
 */
export const DEFAULT_MAX_GRAD_NORM = 5;

/**
 * The turn discount `bench/dreamgym-train/tune.ts` picked on its validation range: 1, plain GRPO (36 catalogs,
 * 10 iterations of real-env GRPO: 2 of 36 runs collapsed against 4 of 36 with γ = 0.8; with the shop-text-v5
 * features 1 of 36 either way, and γ = 1 has the higher mean final success, 94.3% against 94.2%; see README).
 */
export const DEFAULT_TURN_DISCOUNT = 1;

/**
 * The per-turn credit `bench/dreamgym-train/tune.ts` picked on its validation range: ω = 0, plain GRPO (12 catalogs,
 * 10 iterations of real-env GRPO: 0 of 12 runs collapsed and 94.8% mean final success, against 1 of 12 and 92.5% /
 * 90.7% for value-difference credit at ω = 0.5 / 1, and 0–2 of 12 and 84.3% / 56.5% for GiGPO's; see README).
 * The kind is the one the mechanism test supports: value-difference credit does not blame a failure's shared right move.
 */
export const DEFAULT_STEP_CREDIT = 0;
export const DEFAULT_STEP_CREDIT_KIND: StepCreditKind = StepCreditKind.valueDifference;

export interface GrpoStats {
  readonly trajectories: number;
  readonly turns: number;
  readonly gradNorm: number;
  /** Mean of log π_old − log π_new over the taken actions: how far the update moved the policy. */
  readonly approxKl: number;
  /** Mean exact KL(π_new ‖ π_ref) over the batch's turns (every admissible action): what the penalty bounds. */
  readonly kl: number;
  readonly klCoefficient: number;
  readonly clippedFraction: number;
}

interface Turn {
  readonly rows: Features[];
  readonly chosen: number;
  readonly oldLogProb: number | undefined;
  /** The turn's share of the objective: 1 / (trajectories × turns of its trajectory). */
  readonly weight: number;
  /** The turn's share of both objectives as an advantage at `weight`: see GrpoOptions.stepCredit. */
  readonly advantage: number;
  /** log π_ref over the turn's actions: the policy before this update. */
  readonly refLogProbs: number[];
}

/**
 * One GRPO update of the built-in policy: maximise the clipped surrogate minus the KL penalty,
 * (1/G) Σ_i (1/|o_i|) Σ_t [min(ρ_t A_i, clip(ρ_t, 1±ε) A_i) − β KL(π_θ(·|s_t) ‖ π_ref(·|s_t))], over trajectories
 * with advantages, where for a linear softmax ∇ log π(a|s) = φ(a) − E_π[φ] and the exact KL over the admissible
 * actions has ∇ = Σ_a π(a) (log π(a) − log π_ref(a) − KL) φ(a). π_ref is the policy the update starts from. Turns
 * without admissible actions (LLM-only data) are skipped; clipped turns still feel the KL term.
 *
 * @example
 * const { params: next, stats } = grpoUpdate(params, batchTrajectories, { features: kind.policyFeatures, learningRate: 0.5 });
 */
export function grpoUpdate(
  params: BuiltinPolicyParams,
  trajectories: readonly Trajectory[],
  options: GrpoOptions,
): { params: BuiltinPolicyParams; stats: GrpoStats } {
  const optimizer = options.optimizer ?? DEFAULT_OPTIMIZER;
  const learningRate = options.learningRate ?? OPTIMIZER_DEFAULTS[optimizer].learningRate;
  const maxGradNorm = options.maxGradNorm ?? DEFAULT_MAX_GRAD_NORM;
  // Adam's state carries over from the update that made `params` (none before the first Adam update)
  const adam = optimizer === GrpoOptimizer.adam ? adamState(params) : undefined;
  const clip = options.clip ?? 0.2;
  const beta = options.klCoefficient ?? OPTIMIZER_DEFAULTS[optimizer].klCoefficient;
  const turns = collectTurns(trajectories, params.weights, options);
  const weights: Record<string, number> = { ...params.weights };
  let gradNorm = 0, clipped = 0;
  // A batch with no turn to learn from takes no step (Adam would otherwise move on its stale momentum)
  for (let epoch = 0; epoch < (turns.length === 0 ? 0 : options.epochs ?? 4); epoch++) {
    const gradient = new Map<string, number>();
    clipped = 0;
    for (const turn of turns) {
      const { probs } = softmax(weights, turn.rows);
      if (beta > 0) addKlGradient(gradient, turn, probs, -beta * turn.weight);
      const ratio = turn.oldLogProb === undefined ? 1 : Math.exp(Math.log(probs[turn.chosen]) - turn.oldLogProb);
      const outside = (turn.advantage > 0 && ratio > 1 + clip) || (turn.advantage < 0 && ratio < 1 - clip);
      if (outside) {
        clipped++;
        continue;
      }
      const scale = turn.weight * turn.advantage * ratio;
      turn.rows.forEach((row, index) => {
        const coefficient = scale * ((index === turn.chosen ? 1 : 0) - probs[index]);
        if (coefficient === 0) return;
        for (const [name, value] of row) gradient.set(name, (gradient.get(name) ?? 0) + coefficient * value);
      });
    }
    gradNorm = Math.sqrt([...gradient.values()].reduce((sum, g) => sum + g * g, 0));
    const shrink = gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
    if (adam === undefined) {
      for (const [name, g] of gradient) weights[name] = (weights[name] ?? 0) + learningRate * shrink * g;
    } else {
      adamStep(weights, gradient, shrink, learningRate, adam);
    }
  }
  const { optimizer: _previousState, ...rest } = params;
  return {
    params: {
      ...rest, version: params.version + 1, weights: roundWeights(weights),
      ...(adam === undefined ? {} : { optimizer: storedAdamState(adam) }),
    },
    stats: {
      trajectories: trajectories.length,
      turns: turns.length,
      gradNorm,
      approxKl: meanKl(turns, weights),
      kl: meanExactKl(turns, weights),
      klCoefficient: beta,
      clippedFraction: turns.length === 0 ? 0 : clipped / turns.length,
    },
  };
}

function collectTurns(trajectories: readonly Trajectory[], reference: Readonly<Record<string, number>>, options: GrpoOptions): Turn[] {
  const discount = options.turnDiscount ?? DEFAULT_TURN_DISCOUNT;
  const omega = options.stepCredit ?? DEFAULT_STEP_CREDIT;
  const scored = trajectories.filter((t) => t.advantage !== undefined);
  const episodes = scored.map((t) => ({ group: t.metadata.taskId, states: trainableTurns(t).map((m) => m.state), advantage: t.advantage! }));
  const steps = omega === 0 ? undefined : stepAdvantages(episodes, { kind: options.stepCreditKind ?? DEFAULT_STEP_CREDIT_KIND, discount });
  const usable = (t: ReturnType<typeof trainableTurns>[number]) => t.action !== null && t.admissibleActions !== undefined && t.admissibleActions.includes(t.action);
  const batchTurns = trajectories.reduce((sum, t) => sum + trainableTurns(t).filter(usable).length, 0);
  const out: Turn[] = [];
  scored.forEach((trajectory, i) => {
    const all = trainableTurns(trajectory);
    const count = all.filter(usable).length;
    const weight = 1 / (trajectories.length * count);
    all.forEach((turn, k) => {
      const episode = trajectory.advantage! * discount ** (all.length - 1 - k);
      // (1 − ω)·GRPO's objective (each episode's turns share 1/(G·|o_i|)) + ω·the per-turn objective (each turn 1/N,
      // every turn its own sample, as verl-agent trains GiGPO), written as this turn's advantage at GRPO's weight
      const advantage = steps === undefined ? episode : (1 - omega) * episode + omega * steps[i][k] / (batchTurns * weight);
      if (!usable(turn) || advantage === 0) return;
      const earlier = all.slice(0, k).map((t) => t.action);
      const rows = options.features.actionFeatures(trajectory.metadata.instruction, turn.state, turn.admissibleActions!, earlier);
      out.push({
        rows,
        chosen: turn.admissibleActions!.indexOf(turn.action!),
        oldLogProb: turn.logProb,
        weight,
        advantage,
        refLogProbs: softmax(reference, rows).probs.map((p) => Math.log(p)),
      });
    });
  });
  return out;
}

/** Adds `scale` × ∇_θ KL(π_θ ‖ π_ref) of one turn, where ∂KL/∂logit_a = π(a) (log π(a) − log π_ref(a) − KL). */
function addKlGradient(gradient: Map<string, number>, turn: Turn, probs: readonly number[], scale: number): void {
  const gaps = probs.map((p, a) => (p > 0 ? Math.log(p) - turn.refLogProbs[a] : 0));
  const kl = probs.reduce((sum, p, a) => sum + p * gaps[a], 0);
  turn.rows.forEach((row, a) => {
    const coefficient = scale * probs[a] * (gaps[a] - kl);
    if (coefficient === 0) return;
    for (const [name, value] of row) gradient.set(name, (gradient.get(name) ?? 0) + coefficient * value);
  });
}

function meanExactKl(turns: readonly Turn[], weights: Record<string, number>): number {
  if (turns.length === 0) return 0;
  let total = 0;
  for (const turn of turns) {
    const { probs } = softmax(weights, turn.rows);
    total += probs.reduce((sum, p, a) => sum + (p > 0 ? p * (Math.log(p) - turn.refLogProbs[a]) : 0), 0);
  }
  return total / turns.length;
}

function meanKl(turns: readonly Turn[], weights: Record<string, number>): number {
  const known = turns.filter((t) => t.oldLogProb !== undefined);
  if (known.length === 0) return 0;
  const total = known.reduce((sum, t) => sum + t.oldLogProb! - Math.log(softmax(weights, t.rows).probs[t.chosen]), 0);
  return total / known.length;
}
