import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import { INVALID_ACTION_TEXT, TaskSchema } from '../environment.ts';
import type { EnvironmentSession, EnvironmentSnapshot, Observation, StepResult, Task } from '../environment.ts';
import { ReplayDivergenceError } from '../errors.ts';
import { agentGymSessionId } from './agentgym-task.ts';
import { requestJson } from './http.ts';
import type { RetryOptions } from './http.ts';
import { readAvailableActions, readResetState, readStep } from './protocol.ts';
import type { AvailableActions } from './protocol.ts';

export interface AgentGymSettings {
  readonly baseUrl: string;
  readonly retry: RetryOptions;
  readonly maxSteps: number;
  readonly idField: string;
  readonly validateActions: boolean;
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

/** One environment instance on an AgentGym server (one `env_idx`), playing one episode at a time. */
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
    const sessionId = agentGymSessionId(task);
    const body = await this.post('/reset', { session_id: sessionId });
    const text = readResetState(body) ?? (await this.fetchObservation());
    const instruction = (await this.optionalGet('/instruction_text')) ?? task.instruction;
    this.currentTask = { ...task, instruction: typeof instruction === 'string' ? instruction : task.instruction };
    this.actions = [];
    this.done = false;
    this.available = undefined;
    this.observation = { text };
    this.hashes = [hashSeed(text)];
    return this.observation;
  }

  async step(action: string): Promise<StepResult> {
    const task = this.currentTask;
    if (!task) throw new ConflictError('AgentGym session has no task yet; call reset(task) first');
    if (this.done) throw new ConflictError(`AgentGym episode of task ${task.id} is over; reset or restore first`);
    const result = (await this.isAdmissible(action)) ? await this.sendStep(action) : this.invalid();
    this.actions.push(action);
    this.hashes.push(hashSeed(result.observation.text));
    this.available = undefined;
    this.observation = result.observation;
    this.done = result.done;
    return result;
  }

  async admissibleActions(): Promise<string[]> {
    if (this.done || !this.currentTask) return [];
    return (await this.availableActions())?.actions.slice() ?? [];
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

  private async sendStep(action: string): Promise<StepResult> {
    const url = `${this.settings.baseUrl}/step`;
    const answer = readStep(await this.post('/step', { action }), url);
    const steps = this.actions.length + 1;
    const truncated = !answer.done && steps >= this.settings.maxSteps;
    const info: Record<string, unknown> = { ...answer.info, steps };
    if (truncated) info.truncated = true;
    const valid = answer.info.valid !== false;
    return { observation: { text: answer.state }, reward: answer.reward, done: answer.done || truncated, valid, info };
  }

  private invalid(): StepResult {
    const info = { steps: this.actions.length + 1, reason: 'not admissible' };
    return { observation: { text: INVALID_ACTION_TEXT }, reward: 0, done: true, valid: false, info };
  }

  private async isAdmissible(action: string): Promise<boolean> {
    if (!this.settings.validateActions) return true;
    const available = await this.availableActions();
    if (!available) return true;
    if (available.actions.includes(action)) return true;
    return available.searchBar && /^search\[\s*\S[\s\S]*\]$/i.test(action.trim());
  }

  private async availableActions(): Promise<AvailableActions | undefined> {
    if (this.available) return this.available;
    const body = await this.optionalGet('/available_actions');
    if (body === undefined) return undefined;
    this.available = readAvailableActions(body, `${this.settings.baseUrl}/available_actions`);
    return this.available;
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
    const url = `${this.settings.baseUrl}${path}?${this.settings.idField}=${this.id}`;
    return requestJson({ method: 'GET', url }, this.settings.retry, this.settings.fetch);
  }

  private post(path: string, body: Record<string, unknown>): Promise<unknown> {
    const url = `${this.settings.baseUrl}${path}`;
    return requestJson({ method: 'POST', url, body: { [this.settings.idField]: this.id, ...body } },
      this.settings.retry, this.settings.fetch);
  }
}
