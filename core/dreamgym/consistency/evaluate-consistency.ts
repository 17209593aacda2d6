import { InvalidInputError, UnavailableError } from '../../errors.ts';
import type { ExperienceModel, ExperienceStep } from '../experience/experience-model.ts';
import type { TrajectoryRecord } from '../offline/trajectory-record.ts';
import { consistencyCases, type ConsistencyCase } from './cases.ts';
import { percentile, share, type ConsistencyReport, type Disagreement } from './consistency-report.ts';
import { textStateAgreement, type StateAgreement } from './state-agreement.ts';

export interface ConsistencyOptions {
  readonly model: ExperienceModel;
  /** Held-out real transitions with their context… */
  readonly transitions?: readonly ConsistencyCase[];
  /** …and/or held-out real trajectories, every step of which becomes a case. */
  readonly trajectories?: readonly TrajectoryRecord[];
  /** How states are compared: the environment kind's agreement; plain text by default. */
  readonly agreement?: StateAgreement;
  /** Largest |predicted − real| terminal reward that still agrees; 0.05 by default. */
  readonly rewardTolerance?: number;
  /** Disagreements kept in the report; 10 by default. */
  readonly examples?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Whether the model's buffer holds this very (state, action) pair; the report then measures agreement apart on
   * the pairs it does not (`unseen`), where recalling a stored transition cannot help.
   */
  readonly seen?: (state: string, action: string) => boolean;
}

/**
 * Replays held-out real transitions through an experience model, each with its task and its episode's history, and
 * measures how often the model agrees with the real environment: on the next abstract state, the terminal reward,
 * the valid flag and more (see ConsistencyReport). The held-out data must come from trajectories the model did not
 * learn from, e.g. an offline dataset generated on a disjoint task range. A step the model cannot answer (an answer
 * that keeps failing its schema) is a failure, counted and shown; a dependency that stays down (`UnavailableError`)
 * stops the evaluation, so an outage never reads as agreement 0.
 *
 * @example
 * const report = await evaluateConsistency({ model, trajectories: heldOut.records });
 * report.nextStateAgreement; // e.g. 0.93
 */
export async function evaluateConsistency(options: ConsistencyOptions): Promise<ConsistencyReport> {
  const cases = [...(options.transitions ?? []), ...consistencyCases(options.trajectories ?? [])];
  const tolerance = options.rewardTolerance ?? 0.05;
  if (!(tolerance >= 0)) throw new InvalidInputError(`reward tolerance must be a non-negative number, got ${tolerance}`);
  const agreement = options.agreement ?? textStateAgreement;
  const keep = options.examples ?? 10;
  const n = { state: 0, text: 0, valid: 0, done: 0, terminal: 0, reward: 0, success: 0, realInvalid: 0, predictedInvalid: 0, caught: 0, answeredTerminal: 0 };
  let rewardError = 0;
  const kinds = new Map<string, { transitions: number; agree: number; valid: number; terminal: number; reward: number }>();
  const unseen = { transitions: 0, state: 0, terminal: 0, reward: 0 };
  const latencies: number[] = [];
  const failures: string[] = [];
  const disagreements: Disagreement[] = [];
  for (const [i, c] of cases.entries()) {
    const real = c.transition;
    const started = performance.now();
    let predicted: ExperienceStep | undefined;
    try {
      predicted = await options.model.step({ task: c.task, history: c.history, state: real.state, action: real.action });
    } catch (error) {
      // An endpoint that stayed down through its client's retries is an outage, not a disagreement: stop, naming it.
      if (error instanceof UnavailableError) throw error;
      failures.push(`${c.trajectoryId}#${c.stepIndex}: ${(error as Error).message}`);
    }
    latencies.push(performance.now() - started);
    const kind = `${agreement.label(real.state)}→${agreement.label(real.nextState)}`;
    const tally = kinds.get(kind) ?? { transitions: 0, agree: 0, valid: 0, terminal: 0, reward: 0 };
    kinds.set(kind, tally);
    tally.transitions++;
    const fresh = options.seen !== undefined && !options.seen(real.state, real.action);
    if (fresh) unseen.transitions++;
    if (!real.valid) n.realInvalid++;
    if (real.done) {
      n.terminal++;
      tally.terminal++;
      if (fresh) unseen.terminal++;
    }
    options.onProgress?.(i + 1, cases.length);
    if (!predicted) continue;
    const verdict = agreement.compare(predicted.nextState, real.nextState);
    if (predicted.valid === real.valid) tally.valid++;
    if (verdict.agree) {
      n.state++;
      tally.agree++;
      if (fresh) unseen.state++;
    } else if (disagreements.length < keep) {
      disagreements.push({ trajectoryId: c.trajectoryId, stepIndex: c.stepIndex, action: real.action, kind,
        differences: verdict.differences, predicted: predicted.nextState, real: real.nextState });
    }
    if (predicted.nextState.trim() === real.nextState.trim()) n.text++;
    if (predicted.valid === real.valid) n.valid++;
    if (predicted.done === real.done) n.done++;
    if (!predicted.valid) n.predictedInvalid++;
    if (!predicted.valid && !real.valid) n.caught++;
    if (real.done) {
      const error = Math.abs(predicted.reward - real.reward);
      rewardError += error;
      n.answeredTerminal++;
      if (predicted.done && error <= tolerance + 1e-9) {
        n.reward++;
        tally.reward++;
        if (fresh) unseen.reward++;
      }
      if ((predicted.reward >= 1) === (real.reward >= 1)) n.success++;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    model: options.model.name,
    agreement: agreement.name,
    transitions: cases.length,
    nextStateAgreement: share(n.state, cases.length),
    rewardAgreement: share(n.reward, n.terminal),
    invalidAgreement: share(n.valid, cases.length),
    invalidActionAgreement: share(n.valid, cases.length),
    strictTextAgreement: share(n.text, cases.length),
    doneAgreement: share(n.done, cases.length),
    terminalTransitions: n.terminal,
    rewardTolerance: tolerance,
    terminalRewardError: share(rewardError, n.answeredTerminal),
    successAgreement: share(n.success, n.terminal),
    invalidActions: { real: n.realInvalid, predicted: n.predictedInvalid, recall: share(n.caught, n.realInvalid), precision: share(n.caught, n.predictedInvalid) },
    byKind: Object.fromEntries([...kinds].sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([kind, t]) => [kind, {
        transitions: t.transitions, nextStateAgreement: share(t.agree, t.transitions), invalidAgreement: share(t.valid, t.transitions),
        terminalTransitions: t.terminal, rewardAgreement: share(t.reward, t.terminal),
      }])),
    unseen: options.seen === undefined ? undefined : {
      transitions: unseen.transitions, nextStateAgreement: share(unseen.state, unseen.transitions),
      terminalTransitions: unseen.terminal, rewardAgreement: share(unseen.reward, unseen.terminal),
    },
    failures: { count: failures.length, messages: failures.slice(0, keep) },
    latencyMs: {
      mean: share(latencies.reduce((a, b) => a + b, 0), latencies.length),
      p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99),
    },
    disagreements,
  };
}
