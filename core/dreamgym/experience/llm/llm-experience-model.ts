import type { z } from 'zod';
import type { ChatModel } from '../../../llm/chat-model.ts';
import { LlmOutputError, LlmUnavailableError } from '../../../llm/errors.ts';
import type { LedgerTotals } from '../../../llm/usage.ts';
import type { Task } from '../../../env/environment.ts';
import type { ExperienceModel, ExperienceStep, ExperienceStepInput, TransitionRetriever } from '../experience-model.ts';
import { InitialStateSchema, normaliseStep, stepAnswerSchema, unusableAnswerStep } from './answer-schema.ts';
import { rulesForEnvironment, type EnvironmentRules } from './environment-rules.ts';
import { ledgerDelta, type ExperienceModelStats } from './experience-stats.ts';
import { retrieveNeighbours } from './neighbours.ts';
import { experienceMessages, experienceSystemPrompt } from './prompt.ts';

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
 * Failures: an answer that still fails the schema after the chat model's repair retry (including a `nextState`
 * the rules' state check rejects) becomes an invalid step (valid=false, reward 0, done) and is counted in
 * `invalidBySchema`; it is the model's fault and ends only that rollout. An endpoint that stays down or refuses the
 * request (`LlmUnavailableError`) is thrown and counted in `llmFailures`, and a retriever failure is thrown as it is:
 * marking those steps invalid would silently turn an outage into a batch of failed episodes.
 *
 * Initial states: the `initialState` option, then the rules' fixed start (the shop's search page), else the model is
 * asked for one (a schema failure there is thrown, as there is no step to mark invalid).
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
  private readonly counts = { steps: 0, invalidActions: 0, invalidBySchema: 0, llmFailures: 0, initialStatesAsked: 0 };

  constructor(options: LlmExperienceModelOptions) {
    this.options = options;
    this.rules = options.rules ?? rulesForEnvironment(options.env ?? '');
    this.answerSchema = stepAnswerSchema(this.rules);
    this.name = `llm:${options.chat.model}`;
    this.ledgerAtStart = options.chat.ledger.snapshot();
  }

  async initialState(task: Task): Promise<string> {
    const known = this.options.initialState?.(task) ?? this.rules.initialState?.(task);
    if (known !== undefined) return known;
    this.counts.initialStatesAsked++;
    const messages = [
      { role: 'system' as const, content: experienceSystemPrompt(this.rules) },
      {
        role: 'user' as const,
        content: `# Task\n${task.instruction}\n\n# Request\nThe episode is starting: no action has been taken yet. `
          + 'Answer with one JSON object {"reasoning", "state"} giving the first state the environment shows for this task.',
      },
    ];
    const { value } = await this.call(() => this.options.chat.completeStructured(messages, InitialStateSchema, this.callOptions('initial_state')));
    return value.state;
  }

  async step(input: ExperienceStepInput): Promise<ExperienceStep> {
    const neighbours = await retrieveNeighbours(this.options.retriever, input.state, input.action, this.options.k ?? 3);
    const messages = experienceMessages(this.rules, { ...input, neighbours, maxHistorySteps: this.options.maxHistorySteps });
    let step: ExperienceStep;
    try {
      const { value } = await this.call(() => this.options.chat.completeStructured(messages, this.answerSchema, this.callOptions('experience_step')));
      step = normaliseStep(value);
      if (!step.valid) this.counts.invalidActions++;
    } catch (error) {
      if (!(error instanceof LlmOutputError)) throw error;
      this.counts.invalidBySchema++;
      step = unusableAnswerStep(error.message);
    }
    this.counts.steps++;
    return step;
  }

  stats(): ExperienceModelStats {
    return { ...this.counts, usage: ledgerDelta(this.options.chat.ledger.snapshot(), this.ledgerAtStart) };
  }

  private callOptions(name: string) {
    return { name, temperature: this.options.temperature, maxTokens: this.options.maxTokens };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof LlmUnavailableError) this.counts.llmFailures++;
      throw error;
    }
  }
}
