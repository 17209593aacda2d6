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
 * - `value-difference`: Q̂(s_t, a_t) − V̂(s_t) from the group's own Monte Carlo returns, the advantage VinePPO
 *   computes (Kazemnejad et al., arXiv 2410.01679, with extra rollouts from each state; here no extra rollout, which
 *   would cost real interactions). Q̂ = γ·V̂(s_{t+1}), the mean return-to-go of the group's turns at the state the
 *   action led to (on the last turn: A_i); the baseline V̂(s_t) is the mean return-to-go of the *other* rollouts'
 *   turns at s_t, or, where no other rollout reached s_t, the other rollouts' mean advantage (RLOO's leave-one-out
 *   baseline, Kool et al. 2019): a baseline must not contain the turn's own outcome, or a rollout alone on its path
 *   would get no credit for the decisive moves that made it succeed. A failure that opened the right item, as a
 *   success did, and then failed on its page is not blamed for the opening (it led where the success went) and is
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
 * // a success and a failure share the first state, then part
 * stepAdvantages([{ group: 'g', states: ['s', 'a'], advantage: 1 }, { group: 'g', states: ['s', 'b'], advantage: -1 }],
 *   { kind: 'value-difference' }); // [[2, 2], [-2, -2]]
 */
export function stepAdvantages(episodes: readonly CreditEpisode[], options: StepCreditOptions): number[][] {
  const discount = options.discount ?? 1;
  const returns = episodes.map((e) => e.states.map((_, t) => e.advantage * discount ** (e.states.length - 1 - t)));
  const stepGroups = new Map<string, { episode: number; value: number }[]>();
  episodes.forEach((e, i) => e.states.forEach((state, t) => {
    const key = JSON.stringify([e.group, state]);
    stepGroups.set(key, [...(stepGroups.get(key) ?? []), { episode: i, value: returns[i][t] }]);
  }));
  const members = (i: number, t: number) => stepGroups.get(JSON.stringify([episodes[i].group, episodes[i].states[t]]))!;
  if (options.kind === StepCreditKind.gigpo) {
    const epsilon = options.epsilon ?? 1e-6;
    return episodes.map((e, i) => e.states.map((_, t) => {
      const group = members(i, t).map((m) => m.value);
      if (group.length < 2) return 0;
      const mean = average(group);
      const std = Math.sqrt(average(group.map((g) => (g - mean) ** 2)));
      return (returns[i][t] - mean) / (std + epsilon);
    }));
  }
  const others = (i: number) => episodes.filter((o, j) => j !== i && o.group === episodes[i].group).map((o) => o.advantage);
  return episodes.map((e, i) => e.states.map((_, t) => {
    const ahead = t + 1 < e.states.length ? discount * average(members(i, t + 1).map((m) => m.value)) : e.advantage;
    const elsewhere = members(i, t).filter((m) => m.episode !== i).map((m) => m.value);
    const alone = others(i);
    const baseline = elsewhere.length > 0 ? average(elsewhere) : alone.length > 0 ? average(alone) : 0;
    return ahead - baseline;
  }));
}

function average(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
