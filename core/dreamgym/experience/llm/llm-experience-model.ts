import type { z } from 'zod';
import type { ChatModel } from '../../../llm/chat-model.ts';
import { LlmOutputError, LlmUnavailableError } from '../../../llm/errors.ts';
import type { LedgerTotals } from '../../../llm/usage.ts';
import type { Task } from '../../../env/environment.ts';
import type { ExperienceModel, ExperienceStep, ExperienceStepInput, TransitionRetriever } from '../experience-model.ts';
import { initialStateAnswerSchema, normaliseStep, stepAnswerSchema, type InitialStateAnswer } from './answer-schema.ts';
import { rulesForEnvironment, type EnvironmentRules } from './environment-rules.ts';
import { ledgerDelta, type ExperienceModelStats } from './experience-stats.ts';
import { retrieveNeighbours } from './neighbours.ts';
import { initialStateMessages } from './initial-state-prompt.ts';
import { experienceMessages } from './prompt.ts';

export interface LlmExperienceModelOptions {
  /** The experience-model role's chat model (`runtime.chat('experience')`). */
  readonly chat: ChatModel;
  /** `shop` or an AgentGym base URL: picks the rules text (generic when neither this nor `rules` is given). */
  readonly env?: string;
  readonly rules?: EnvironmentRules;
  /** Where D_k comes from (the replay buffer); without one the prompt says none were retrieved. */
  readonly retriever?: TransitionRetriever;
  /** Size of D_k; 3 by default. */
  readonly k?: number;
  /** Keep only the last N history steps in the prompt; all by default. */
  readonly maxHistorySteps?: number;
  /** Sampling of every call; the role's configured sampling (`chat.sampling`), else 0 and 1024 tokens. */
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** A known first state for a task (takes precedence over the rules'); undefined means "ask the model". */
  readonly initialState?: (task: Task) => string | undefined;
}

/**
 * DreamGym's M_exp behind an OpenAI-compatible chat model: a retrieval-augmented prompt (static system text and
 * environment rules first, then task, history, D_k, state and action) answered as structured output, reasoning
 * first.
 *
 * Failures are thrown, never turned into steps: an answer that still fails the schema after the chat model's repair
 * retry (including a `nextState` the rules' state check rejects) throws `LlmOutputError` (counted in
 * `invalidBySchema`, and by the client as a schema failure), so training drops that rollout from its group instead
 * of scoring the policy's action invalid with reward 0; an endpoint that stays down or refuses the request throws
 * `LlmUnavailableError` (counted in `llmFailures`); a retriever failure is thrown as it is.
 *
 * Initial states: the `initialState` option, then the rules' fixed start (the shop's search page), else the model is
 * asked for one with its own prompt and schema (`initialStateMessages`, `initialStateAnswerSchema`).
 *
 * @example
 * const model = new LlmExperienceModel({ chat: runtime.chat('experience')!, env: 'shop', retriever: buffer, k: 3 });
 * const state = await model.initialState(task);            // 'page: search'
 * const step = await model.step({ task, history: [], state, action: 'search[red cotton t-shirt]' });
 * step.nextState;                                          // 'page: results\nquery: red cotton t-shirt\n…'
 * model.stats();                                           // { steps: 1, invalidBySchema: 0, … }
 */
export class LlmExperienceModel implements ExperienceModel {
  readonly name: string;
  readonly rules: EnvironmentRules;
  private readonly options: LlmExperienceModelOptions;
  private readonly ledgerAtStart: LedgerTotals;
  private readonly answerSchema: z.ZodType<ExperienceStep>;
  private readonly initialSchema: z.ZodType<InitialStateAnswer>;
  private readonly sampling: { temperature: number; maxTokens: number };
  private readonly counts = { steps: 0, invalidActions: 0, invalidBySchema: 0, llmFailures: 0, initialStatesAsked: 0 };

  constructor(options: LlmExperienceModelOptions) {
    this.options = options;
    this.rules = options.rules ?? rulesForEnvironment(options.env);
    this.answerSchema = stepAnswerSchema(this.rules);
    this.initialSchema = initialStateAnswerSchema(this.rules);
    this.sampling = {
      temperature: options.temperature ?? options.chat.sampling?.temperature ?? 0,
      maxTokens: options.maxTokens ?? options.chat.sampling?.maxTokens ?? 1024,
    };
    this.name = `llm:${options.chat.model}`;
    this.ledgerAtStart = options.chat.ledger.snapshot();
  }

  async initialState(task: Task): Promise<string> {
    const known = this.options.initialState?.(task) ?? this.rules.initialState?.(task);
    if (known !== undefined) return known;
    this.counts.initialStatesAsked++;
    const messages = initialStateMessages(this.rules, task);
    const { value } = await this.call(() => this.options.chat.completeStructured(messages, this.initialSchema, this.callOptions('initial_state')));
    return value.state;
  }

  async step(input: ExperienceStepInput): Promise<ExperienceStep> {
    const neighbours = await retrieveNeighbours(this.options.retriever, input.state, input.action, this.options.k ?? 3);
    const messages = experienceMessages(this.rules, { ...input, neighbours, maxHistorySteps: this.options.maxHistorySteps });
    const { value } = await this.call(() => this.options.chat.completeStructured(messages, this.answerSchema, this.callOptions('experience_step')));
    const step = normaliseStep(value);
    if (!step.valid) this.counts.invalidActions++;
    this.counts.steps++;
    return step;
  }

  stats(): ExperienceModelStats {
    return { ...this.counts, usage: ledgerDelta(this.options.chat.ledger.snapshot(), this.ledgerAtStart) };
  }

  private callOptions(name: string) {
    return { name, ...this.sampling };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof LlmUnavailableError) this.counts.llmFailures++;
      if (error instanceof LlmOutputError) this.counts.invalidBySchema++;
      throw error;
    }
  }
}
