/**
 * Per-turn credit inside a GRPO group, from outcome rewards only. Turns of different trajectories of one task at the
 * same *anchor state* (identical observation text, as GiGPO defines it) are compared with each other, so a turn is
 * credited for what happened after it rather than for the whole episode.
 *
 * Both kinds work on the episode's GRPO advantage A_i (its outcome, normalised within the group) as the terminal
 * reward and the return-to-go G_t = γ^(T−1−t) · A_i of turn t of T; for γ = 1 every formula below gives the same
 * numbers as the raw outcome rewards divided by the group's standard deviation would.
 * - `gigpo`: GiGPO's step-level group advantage (Feng et al. 2025, "Group-in-Group Policy Optimization for LLM Agent
 *   Training", arXiv 2505.10978): A^S_t = (G_t − mean(G)) / (std(G) + ε) over the turns at the same anchor state; a
 *   state only one turn reached gets 0.
 * - `value-difference`: the temporal difference of a Monte Carlo value estimate, as VinePPO computes its advantages
 *   (Kazemnejad et al., arXiv 2410.01679): A^S_t = γ·V̂(s_{t+1}) − V̂(s_t), on the last turn A_i − V̂(s_t), where V̂(s)
 *   is the mean return-to-go of the group's turns at anchor state s (GiGPO's step-group mean; VinePPO draws extra
 *   rollouts from each state instead, which would cost real interactions). For γ = 1 an episode's step advantages
 *   sum to A_i − V̂(s_0), which is A_i when every rollout starts in one state (GRPO advantages have mean 0): the
 *   episode's credit moves to the turns where the group's rollouts diverged. A failure that opened the right item
 *   and then failed on its page is credited for the opening (it led to a state worth more than the one it left) and
 *   blamed for the purchase. GiGPO's step advantage cannot tell these apart: with outcome rewards a failure's return
 *   is below its step group's mean at every state it shares with a success, whichever action it took there.
 */
export const StepCreditKind = { gigpo: 'gigpo', valueDifference: 'value-difference' } as const;
export type StepCreditKind = (typeof StepCreditKind)[keyof typeof StepCreditKind];

/** One trajectory as step credit reads it. */
export interface CreditEpisode {
  /** Episodes with the same group key form one GRPO group (the trainer uses the task id). */
  readonly group: string;
  /** The anchor state key of every turn, in order. */
  readonly states: readonly string[];
  /** The episode's GRPO advantage, its terminal reward here. */
  readonly advantage: number;
}

export interface StepCreditOptions {
  readonly kind: StepCreditKind;
  /** γ of the returns-to-go; 1 by default. */
  readonly discount?: number;
  /** ε of GiGPO's normalisation; 1e-6 by default. */
  readonly epsilon?: number;
}

/**
 * The step advantage of every turn of every episode (same shape as `episodes[i].states`).
 *
 * @example
 * // one success and one failure share the first state, then part: the diverging turn takes the credit
 * stepAdvantages([{ group: 'g', states: ['s', 'a'], advantage: 1 }, { group: 'g', states: ['s', 'b'], advantage: -1 }],
 *   { kind: 'value-difference' }); // [[0, 1], [0, -1]]
 */
export function stepAdvantages(episodes: readonly CreditEpisode[], options: StepCreditOptions): number[][] {
  const discount = options.discount ?? 1;
  const returns = episodes.map((e) => e.states.map((_, t) => e.advantage * discount ** (e.states.length - 1 - t)));
  const stepGroups = new Map<string, number[]>();
  episodes.forEach((e, i) => e.states.forEach((state, t) => {
    const key = JSON.stringify([e.group, state]);
    stepGroups.set(key, [...(stepGroups.get(key) ?? []), returns[i][t]]);
  }));
  const members = (e: CreditEpisode, t: number) => stepGroups.get(JSON.stringify([e.group, e.states[t]]))!;
  if (options.kind === StepCreditKind.gigpo) {
    const epsilon = options.epsilon ?? 1e-6;
    return episodes.map((e, i) => e.states.map((_, t) => {
      const group = members(e, t);
      if (group.length < 2) return 0;
      const mean = average(group);
      const std = Math.sqrt(average(group.map((g) => (g - mean) ** 2)));
      return (returns[i][t] - mean) / (std + epsilon);
    }));
  }
  // δ_t = r_t + γ·V̂(s_{t+1}) − V̂(s_t), the reward (the episode's advantage) on the last turn and V̂ = 0 after it
  return episodes.map((e) => e.states.map((_, t) => {
    const ahead = t + 1 < e.states.length ? discount * average(members(e, t + 1)) : e.advantage;
    return ahead - average(members(e, t));
  }));
}

function average(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
