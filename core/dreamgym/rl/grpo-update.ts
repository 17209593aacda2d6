import { actionFeatures, episodeMemory } from '../policy/features.ts';
import type { Features } from '../policy/features.ts';
import { instructionFacts } from '../policy/instruction-facts.ts';
import type { BuiltinPolicyParams } from '../policy/params.ts';
import { softmax } from '../policy/softmax.ts';
import { trainableTurns } from '../rollout/trajectory.ts';
import type { Trajectory } from '../rollout/trajectory.ts';

export interface GrpoOptions {
  /** Step size; 5 by default (the objective averages over turns, so its gradients are small). */
  readonly learningRate?: number;
  /** Passes over the batch; later passes use the clipped importance ratio. 4 by default. */
  readonly epochs?: number;
  /** PPO/GRPO clip range ε of the ratio π_θ / π_old; 0.2 by default. */
  readonly clip?: number;
  /** Largest gradient norm per step; 5 by default. */
  readonly maxGradNorm?: number;
}

export interface GrpoStats {
  readonly trajectories: number;
  readonly turns: number;
  readonly gradNorm: number;
  /** Mean of log π_old − log π_new over the taken actions: how far the update moved the policy. */
  readonly approxKl: number;
  readonly clippedFraction: number;
}

interface Turn {
  readonly rows: Features[];
  readonly chosen: number;
  readonly oldLogProb: number | undefined;
  /** Advantage × the turn's share of the objective: 1 / (trajectories × turns of its trajectory). */
  readonly weight: number;
  readonly advantage: number;
}

/**
 * One GRPO update of the built-in policy: maximise the clipped surrogate
 * (1/G) Σ_i (1/|o_i|) Σ_t min(ρ_t A_i, clip(ρ_t, 1±ε) A_i) over trajectories with advantages, where for a linear
 * softmax ∇ log π(a|s) = φ(a) − E_π[φ]. Turns without admissible actions (LLM-only data) are skipped.
 *
 * @example
 * const { params: next, stats } = grpoUpdate(params, batchTrajectories, { learningRate: 0.5 });
 */
export function grpoUpdate(
  params: BuiltinPolicyParams,
  trajectories: readonly Trajectory[],
  options: GrpoOptions = {},
): { params: BuiltinPolicyParams; stats: GrpoStats } {
  const learningRate = options.learningRate ?? 5;
  const clip = options.clip ?? 0.2;
  const turns = collectTurns(trajectories);
  const weights: Record<string, number> = { ...params.weights };
  let gradNorm = 0, clipped = 0;
  for (let epoch = 0; epoch < (options.epochs ?? 4); epoch++) {
    const gradient = new Map<string, number>();
    clipped = 0;
    for (const turn of turns) {
      const { probs } = softmax(weights, turn.rows);
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
    const shrink = gradNorm > (options.maxGradNorm ?? 5) ? (options.maxGradNorm ?? 5) / gradNorm : 1;
    for (const [name, g] of gradient) weights[name] = (weights[name] ?? 0) + learningRate * shrink * g;
  }
  return {
    params: { ...params, version: params.version + 1, weights: rounded(weights) },
    stats: {
      trajectories: trajectories.length,
      turns: turns.length,
      gradNorm,
      approxKl: meanKl(turns, weights),
      clippedFraction: turns.length === 0 ? 0 : clipped / turns.length,
    },
  };
}

function collectTurns(trajectories: readonly Trajectory[]): Turn[] {
  const usable = trajectories.filter((t) => t.advantage !== undefined && t.advantage !== 0);
  const out: Turn[] = [];
  for (const trajectory of usable) {
    const facts = instructionFacts(trajectory.metadata.instruction);
    const all = trainableTurns(trajectory);
    const turns = all.filter((t) => t.action !== null && t.admissibleActions !== undefined && t.admissibleActions.includes(t.action));
    for (const turn of turns) {
      const memory = episodeMemory(all.slice(0, all.indexOf(turn)).map((t) => t.action));
      out.push({
        rows: actionFeatures(facts, turn.state, turn.admissibleActions!, memory),
        chosen: turn.admissibleActions!.indexOf(turn.action!),
        oldLogProb: turn.logProb,
        weight: 1 / (trajectories.length * turns.length),
        advantage: trajectory.advantage!,
      });
    }
  }
  return out;
}

function meanKl(turns: readonly Turn[], weights: Record<string, number>): number {
  const known = turns.filter((t) => t.oldLogProb !== undefined);
  if (known.length === 0) return 0;
  const total = known.reduce((sum, t) => sum + t.oldLogProb! - Math.log(softmax(weights, t.rows).probs[t.chosen]), 0);
  return total / known.length;
}

/** Six significant digits keep the stored JSON short without changing behaviour measurably. */
function rounded(weights: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(weights).sort()) out[name] = Number(weights[name].toPrecision(6));
  return out;
}
