import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import { matchesTemplate } from '../action-templates.ts';
import { INVALID_ACTION_TEXT, TaskSchema } from '../environment.ts';
import type { EnvironmentSession, EnvironmentSnapshot, Observation, StepResult, Task } from '../environment.ts';
import { ReplayDivergenceError } from '../errors.ts';
import { agentGymSessionId } from './agentgym-task.ts';
import { requestJson } from './http.ts';
import type { RetryOptions } from './http.ts';
import { resetBody } from './profiles/index.ts';
import type { AgentGymProfile } from './profiles/index.ts';
import { answerError, readAnswerActions, readAvailableActions, readResetState, readStep } from './protocol.ts';
import type { AvailableActions } from './protocol.ts';

export interface AgentGymSettings {
  readonly baseUrl: string;
  readonly retry: RetryOptions;
  readonly maxSteps: number;
  readonly profile: AgentGymProfile;
  /** Decide invalid actions locally (never sent) instead of recording the server's answer to them. */
  readonly filterInvalid: boolean;
  readonly fetch: typeof fetch;
  /** Optional endpoints this server answered 404 to, so they are not asked again. */
  readonly missingEndpoints: Set<string>;
}

/** Snapshot = task + action prefix; the observation hashes let a replay notice that the server diverged. */
const AgentGymSnapshotSchema = z.object({
  env: z.literal('agentgym'),
  task: TaskSchema,
  actions: z.array(z.string()),
  observationHashes: z.array(z.number()),
});

/**
 * One environment instance on an AgentGym server (one id), playing one episode at a time. Every action is sent to
 * the server and its answer recorded (WebShop answers an invalid action with the unchanged page); the step is
 * marked invalid when the server publishes its admissible actions and the action is neither one of them nor an
 * instance of a template on offer. With `filterInvalid`, such an action is not sent and ends the episode in the
 * failure state instead.
 */
export class AgentGymSession implements EnvironmentSession {
  private readonly settings: AgentGymSettings;
  private readonly id: number;
  private currentTask: Task | undefined;
  private actions: string[] = [];
  private hashes: number[] = [];
  private observation: Observation = { text: '' };
  private done = false;
  private available: AvailableActions | undefined;

  constructor(settings: AgentGymSettings, id: number) {
    this.settings = settings;
    this.id = id;
  }

  get task(): Task | undefined {
    return this.currentTask;
  }

  async reset(task: Task): Promise<Observation> {
    const { profile } = this.settings;
    const sessionId = agentGymSessionId(task);
    const body = await this.post('/reset', resetBody(profile.resetBody, sessionId));
    const error = answerError(body);
    if (error !== undefined) {
      throw new InvalidInputError(`environment server ${this.settings.baseUrl}/reset refused session ${sessionId}: ${error}`,
        { details: { url: `${this.settings.baseUrl}/reset`, sessionId } });
    }
    const text = readResetState(body) ?? (await this.fetchObservation());
    this.currentTask = { ...task, instruction: (await this.readInstruction(text)) ?? task.instruction };
    this.actions = [];
    this.done = false;
    this.available = this.publishedActions(body, text);
    this.observation = { text };
    this.hashes = [hashSeed(text)];
    return this.observation;
  }

  async step(action: string): Promise<StepResult> {
    const task = this.currentTask;
    if (!task) throw new ConflictError('AgentGym session has no task yet; call reset(task) first');
    if (this.done) throw new ConflictError(`AgentGym episode of task ${task.id} is over; reset or restore first`);
    const admissible = await this.isAdmissible(action);
    const result = admissible === false && this.settings.filterInvalid
      ? this.invalid()
      : await this.sendStep(action, admissible);
    this.actions.push(action);
    this.hashes.push(hashSeed(result.observation.text));
    this.observation = result.observation;
    this.done = result.done;
    return result;
  }

  async admissibleActions(): Promise<string[]> {
    if (this.done || !this.currentTask) return [];
    return (await this.availableActions())?.actions.slice() ?? [];
  }

  async actionTemplates(): Promise<string[]> {
    if (this.done || !this.currentTask) return [];
    const { templates, actions } = this.settings.profile;
    if (actions !== 'endpoint') return [...templates];
    const available = await this.availableActions();
    return available === undefined || available.searchBar ? [...templates] : templates.filter((t) => !t.startsWith('search['));
  }

  async snapshot(): Promise<EnvironmentSnapshot> {
    if (!this.currentTask) throw new ConflictError('AgentGym session has no episode to snapshot');
    return { env: 'agentgym', task: this.currentTask, actions: [...this.actions], observationHashes: [...this.hashes] };
  }

  /** Resets to the snapshot's task and replays its actions; throws ReplayDivergenceError if an observation differs. */
  async restore(snapshot: EnvironmentSnapshot): Promise<Observation> {
    const parsed = AgentGymSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`AgentGym snapshot is malformed at "${issue.path.join('.')}": ${issue.message}`);
    }
    const { task, actions, observationHashes } = parsed.data;
    await this.reset(task);
    if (this.hashes[0] !== observationHashes[0]) throw new ReplayDivergenceError(task.id, 0, undefined);
    for (const [index, action] of actions.entries()) {
      await this.step(action);
      if (this.hashes[index + 1] !== observationHashes[index + 1]) {
        throw new ReplayDivergenceError(task.id, index + 1, action);
      }
    }
    return this.observation;
  }

  async close(): Promise<void> {
    try {
      await this.post('/close', {});
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private async sendStep(action: string, admissible: boolean | undefined): Promise<StepResult> {
    const url = `${this.settings.baseUrl}/step`;
    const body = await this.post('/step', { action });
    const error = answerError(body);
    if (error !== undefined) throw new UnavailableError(`environment server ${url} failed the step "${action}": ${error}`, { details: { url } });
    const { rewardField, toReward } = this.settings.profile;
    const answer = readStep(body, url, rewardField);
    this.available = this.publishedActions(body, answer.state);
    const steps = this.actions.length + 1;
    const truncated = !answer.done && steps >= this.settings.maxSteps;
    const info: Record<string, unknown> = { ...answer.info, steps };
    if (truncated) info.truncated = true;
    const valid = answer.info.valid === false ? false : admissible !== false;
    if (!valid) info.reason ??= 'not admissible';
    if (toReward) info[rewardField] = answer.reward;
    const reward = toReward ? toReward(answer.reward, answer.done) : answer.reward;
    return { observation: { text: answer.state }, reward, done: answer.done || truncated, valid, info };
  }

  private invalid(): StepResult {
    const info = { steps: this.actions.length + 1, reason: 'not admissible' };
    return { observation: { text: INVALID_ACTION_TEXT }, reward: 0, done: true, valid: false, info };
  }

  /** Whether the server's published actions include `action`; undefined when it publishes none. */
  private async isAdmissible(action: string): Promise<boolean | undefined> {
    if (this.settings.profile.actions === 'none') return undefined;
    const available = await this.availableActions();
    if (!available) return undefined;
    if (available.actions.includes(action)) return true;
    const templates = await this.actionTemplates();
    return templates.some((template) => matchesTemplate(template, action));
  }

  private async availableActions(): Promise<AvailableActions | undefined> {
    const { profile, baseUrl } = this.settings;
    if (this.available || profile.actions !== 'endpoint') return this.available;
    const path = profile.actionsEndpoint ?? '/available_actions';
    const body = await this.optionalGet(path);
    if (body === undefined) return undefined;
    this.available = profile.readActions
      ? { actions: profile.readActions(body, `${baseUrl}${path}`), searchBar: false }
      : readAvailableActions(body, `${baseUrl}${path}`);
    return this.available;
  }

  /** The actions a reset or step answer publishes itself (ALFWorld's field, BabyAI's observation text). */
  private publishedActions(body: unknown, text: string): AvailableActions | undefined {
    const { actions, actionsIn } = this.settings.profile;
    if (actions === 'answers') return answerActions(body);
    if (actions === 'observation') return { actions: actionsIn?.(text) ?? [], searchBar: false };
    return undefined;
  }

  /** `/instruction_text` when the server has it, else what the first observation states. */
  private async readInstruction(observation: string): Promise<string | undefined> {
    const served = await this.optionalGet('/instruction_text');
    if (typeof served === 'string' && served.trim() !== '') return served.replace(/^\s*instruction:\s*/i, '').trim();
    return this.settings.profile.instructionFrom(observation);
  }

  private async fetchObservation(): Promise<string> {
    const body = await this.get('/observation');
    if (typeof body !== 'string') {
      throw new InvalidInputError(`environment server ${this.settings.baseUrl}/observation did not answer a string`);
    }
    return body;
  }

  /** A GET of an endpoint some servers lack: undefined when it answers 404 (remembered for the server). */
  private async optionalGet(path: string): Promise<unknown> {
    if (this.settings.missingEndpoints.has(path)) return undefined;
    try {
      return await this.get(path);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      this.settings.missingEndpoints.add(path);
      return undefined;
    }
  }

  private get(path: string): Promise<unknown> {
    const url = `${this.settings.baseUrl}${path}?${this.settings.profile.idField}=${this.id}`;
    return requestJson({ method: 'GET', url }, this.settings.retry, this.settings.fetch);
  }

  private post(path: string, body: Record<string, unknown>): Promise<unknown> {
    const url = `${this.settings.baseUrl}${path}`;
    return requestJson({ method: 'POST', url, body: { [this.settings.profile.idField]: this.id, ...body } },
      this.settings.retry, this.settings.fetch);
  }
}

function answerActions(body: unknown): AvailableActions {
  return { actions: readAnswerActions(body) ?? [], searchBar: false };
}
