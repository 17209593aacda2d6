import { NotFoundError } from '../../../errors.ts';
import { INVALID_ACTION_TEXT, type Task } from '../../../env/environment.ts';
import type { ReplayBuffer } from '../../replay/replay-buffer.ts';
import type { BufferedTransition, ExperienceModel, ExperienceStep, ExperienceStepInput, RetrievedTransition } from '../experience-model.ts';
import { composeGenericStep, type ComposedStep } from './compose-generic-step.ts';
import { EpisodeStats } from './episode-stats.ts';
import type { EnvironmentKind, StepComposer } from '../../../env/environment-kind.ts';

export interface BuiltinExperienceModelOptions {
  readonly buffer: ReplayBuffer;
  /** The environment kind whose states the buffer holds; what it lets the model know of its interface is used. */
  readonly kind: Pick<EnvironmentKind, 'experienceKnowledge'>;
  /** Neighbours retrieved per step (distinct (s, a) pairs); 5 by default. */
  readonly k?: number;
  /** The sources it learns from; real data only by default, so it never learns from its own synthetic rollouts. */
  readonly learnFrom?: readonly BufferedTransition['source'][];
  /**
   * 'auto' (default): the kind's composition where it reads the state format, the nearest neighbour's outcome
   * elsewhere; 'nearest': the nearest neighbour's outcome everywhere (an ablation baseline).
   */
  readonly composition?: 'auto' | 'nearest';
}

/**
 * The built-in experience model, DreamGym's M_exp without an LLM: everything it knows comes from the replay buffer.
 * Each step retrieves the top-k transitions nearest in φ(s, a); where the environment kind knows its state format
 * (its `experienceKnowledge`, e.g. `shop`'s pages, products, validity and purchase outcomes learned from the buffer)
 * the kind composes the next state; elsewhere the model reuses the nearest neighbour's outcome. It never calls the real environment. New rows appended to the buffer are learned on the next step.
 *
 * @example
 * const model = new BuiltinExperienceModel({ buffer, kind: environmentKind('shop') });
 * const state = await model.initialState(task);
 * const step = await model.step({ task, history: [], state, action: 'search[red cotton t-shirt]' });
 * step.nextState; // 'page: results\nquery: red cotton t-shirt\n…'
 */
export class BuiltinExperienceModel implements ExperienceModel {
  readonly name = 'builtin';
  readonly buffer: ReplayBuffer;
  private readonly k: number;
  private readonly sources: ReadonlySet<string>;
  private readonly composition: 'auto' | 'nearest';
  private readonly kind: Pick<EnvironmentKind, 'experienceKnowledge'>;
  private knowledge: StepComposer | undefined;
  private stats = new EpisodeStats();
  private learnedEpoch = -1;
  private learnedRows = 0;
  private uninterpretable = 0;

  constructor(options: BuiltinExperienceModelOptions) {
    this.buffer = options.buffer;
    this.k = Math.max(1, Math.floor(options.k ?? 5));
    this.sources = new Set(options.learnFrom ?? ['offline', 'branch']);
    this.composition = options.composition ?? 'auto';
    this.kind = options.kind;
    this.knowledge = options.kind.experienceKnowledge?.();
  }

  /** Steps whose action could not be interpreted at all (answered invalid). */
  get uninterpretableSteps(): number {
    return this.uninterpretable;
  }

  async initialState(task: Task): Promise<string> {
    this.learn();
    const state = this.stats.initialState(task.id, () => this.knowledge?.initialState?.(task));
    if (state === undefined) {
      throw new NotFoundError(`replay buffer "${this.buffer.id}" holds no real episode to learn a first state from; seed it with offline data`);
    }
    return state;
  }

  async step(input: ExperienceStepInput): Promise<ExperienceStep> {
    this.learn();
    const neighbours = await this.buffer.retrieve(input.state, input.action, this.k);
    const composed = this.compose(input, neighbours);
    let { done, reasoning } = composed;
    const limit = this.stats.stepLimit();
    if (!done && limit !== undefined && input.history.length + 1 >= limit) {
      done = true;
      reasoning += ` This is step ${input.history.length + 1}, the step limit real episodes show, so the episode ends unfinished.`;
    }
    const reward = Math.min(1, Math.max(0, composed.reward));
    return { reasoning, nextState: composed.nextState, reward, done, valid: composed.valid };
  }

  private compose(input: ExperienceStepInput, neighbours: readonly RetrievedTransition[]): ComposedStep {
    if (this.composition !== 'auto' || !this.knowledge) return composeGenericStep(neighbours, input.action);
    try {
      const exact = neighbours.find(({ transition: t }) =>
        t.state === input.state && t.action === input.action && this.sources.has(t.source))?.transition;
      const composed = this.knowledge.compose({ task: input.task, history: input.history, state: input.state, action: input.action, exact });
      if (!composed) return composeGenericStep(neighbours, input.action);
      if (composed.reward !== undefined) return { ...composed, reward: composed.reward };
      const fallback = composeGenericStep(neighbours, input.action);
      return { ...composed, reward: fallback.reward, reasoning: `${composed.reasoning} No real outcome was learned from, so the nearest transition's reward is used.` };
    } catch (error) {
      this.uninterpretable++;
      return { nextState: INVALID_ACTION_TEXT, reward: 0, done: true, valid: false,
        reasoning: `The action could not be interpreted in this state (${(error as Error).message}); treated as invalid.` };
    }
  }

  /** Learns the buffer rows added since the last step; a reordered buffer (new epoch) is learned afresh. */
  private learn(): void {
    const rows = this.buffer.transitions();
    if (this.buffer.epoch !== this.learnedEpoch) {
      this.learnedEpoch = this.buffer.epoch;
      this.knowledge = this.kind.experienceKnowledge?.();
      this.stats = new EpisodeStats();
      this.learnedRows = 0;
    }
    for (; this.learnedRows < rows.length; this.learnedRows++) {
      const transition = rows[this.learnedRows];
      if (!this.sources.has(transition.source)) continue;
      this.knowledge?.learn(transition);
      this.stats.learn(transition);
    }
  }
}
