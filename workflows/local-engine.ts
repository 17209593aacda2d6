import os from 'node:os';
import aslValidator from 'asl-validator';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Runtime } from '../adapters/runtime.ts';
import { ConflictError, InvalidInputError } from '../core/errors.ts';
import { sha256 } from '../core/store/batch.ts';
import type { StartOptions, TaskResult, WorkflowEngine, WorkflowSummary } from '../core/workflow/engine.ts';
import { emptyProgress, ExecutionStatus, isExecutionId, newExecutionId, type ExecutionRecord } from '../core/workflow/execution.ts';
import { ExecutionLog } from '../core/workflow/execution-log.ts';
import { loadFunction } from '../functions/local.ts';
import { WORKFLOWS, type WorkflowEntry } from './catalog.ts';
import { allStates, functionOf, loadDefinition, parseWorkflowInput, type MachineDefinition } from './definitions.ts';
import { bindIntegration, LOCAL_STATIC_TOKEN } from './integrations.ts';
import { trackProgress } from './progress.ts';
import { localTaskTokens } from './task-tokens.ts';

export interface LocalEngineOptions {
  /** Replace every Retry interval with this many milliseconds (tests). */
  retryDelayMs?: number;
  /** How often a running execution's progress is written to the store. */
  saveIntervalMs?: number;
  /** Another folder of definitions and its catalog (tests of engine features use their own small definitions). */
  definitionsDir?: string;
  catalog?: readonly WorkflowEntry[];
}

type TaskHandler = (input: JsonValue) => Promise<JsonValue>;
type JsonValue = Parameters<StateMachine['run']>[0];

/**
 * Runs the workflow definitions in-process with `aws-local-stepfunctions`, binding each Task state's
 * `${fn:<name>}` resource to the same handler module Lambda runs, and records every execution in the store.
 *
 * @example
 * const engine = new LocalWorkflowEngine(runtime);
 * const started = await engine.start('store-verify', { prefix: '' });
 * const done = await engine.wait(started.id);
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly kind = 'local' as const;
  private readonly runtime: Runtime;
  private readonly log: ExecutionLog;
  private readonly options: LocalEngineOptions;
  private readonly running = new Map<string, Promise<ExecutionRecord>>();

  constructor(runtime: Runtime, options: LocalEngineOptions = {}) {
    this.runtime = runtime;
    this.options = options;
    this.log = new ExecutionLog(runtime.store);
  }

  async workflows(): Promise<WorkflowSummary[]> {
    return (this.options.catalog ?? WORKFLOWS).map(({ name, description }) => ({ name, description }));
  }

  async start(workflow: string, rawInput: unknown, options: StartOptions = {}): Promise<ExecutionRecord> {
    const { input } = parseWorkflowInput(workflow, rawInput, this.options.catalog);
    const id = options.executionId ?? newExecutionId(workflow);
    if (!isExecutionId(id)) throw new InvalidInputError(`execution id "${id}" must be lowercase letters, digits and dashes`);
    if (this.running.has(id)) throw new ConflictError(`execution "${id}" is already running`);
    const definition = await loadDefinition(workflow, this.options.definitionsDir);
    const handlers = await this.bindTasks(workflow, definition);
    const now = new Date().toISOString();
    const record: ExecutionRecord = {
      id, workflow, engine: 'local', status: ExecutionStatus.running, input,
      startedAt: now, updatedAt: now, progress: emptyProgress(), runner: { host: os.hostname(), pid: process.pid },
    };
    const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: validated(workflow, definition) });
    await this.log.create(record);
    const execution = machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: this.retryOverrides(definition) },
      context: { Execution: { Id: id, Name: id }, Task: { Token: LOCAL_STATIC_TOKEN } },
    });
    const tracking = trackProgress(execution.eventLogs, record, {
      save: (r) => this.log.save(r),
      saveIntervalMs: this.options.saveIntervalMs ?? 1000,
      onProgress: options.onProgress,
    });
    const finished = execution.result.then(
      (output: unknown) => ({ ...record, status: ExecutionStatus.succeeded, output }),
      (error: unknown) => ({ ...record, status: ExecutionStatus.failed, error: describeFailure(error) }),
    ).then(async (final: ExecutionRecord) => {
      final.progress = await tracking;
      final.stoppedAt = new Date().toISOString();
      await this.log.save(final);
      this.running.delete(id);
      if (final.status === ExecutionStatus.failed && !options.callerReportsFailure) this.runtime.log.warn(`execution ${id} failed`, { error: final.error });
      return final;
    });
    this.running.set(id, finished);
    return record;
  }

  async wait(executionId: string): Promise<ExecutionRecord> {
    return this.running.get(executionId) ?? this.log.get(executionId);
  }

  async describe(executionId: string): Promise<ExecutionRecord> {
    return this.log.get(executionId);
  }

  async list(workflow?: string): Promise<string[]> {
    return this.log.list(workflow);
  }

  async completeTask(token: string, result: TaskResult): Promise<void> {
    if ('output' in result) localTaskTokens.succeed(token, result.output);
    else localTaskTokens.fail(token, result.error, result.cause);
  }

  async heartbeatTask(token: string): Promise<void> {
    localTaskTokens.heartbeat(token);
  }

  private async bindTasks(workflow: string, definition: MachineDefinition): Promise<Record<string, TaskHandler>> {
    const handlers: Record<string, TaskHandler> = {};
    for (const [stateName, state] of allStates(definition)) {
      if (state.Type !== 'Task') continue;
      const name = functionOf(state.Resource);
      if (!name) {
        const integration = bindIntegration(workflow, stateName, state, this.runtime);
        if (!integration) {
          throw new InvalidInputError(`workflow "${workflow}" state "${stateName}" uses resource ${state.Resource}, which the local engine cannot run`);
        }
        handlers[stateName] = async (input) => (await integration(input)) as JsonValue;
        continue;
      }
      const fn = await loadFunction(name);
      handlers[stateName] = async (input) => (await fn.run(input, this.runtime)) as JsonValue;
    }
    return handlers;
  }

  private retryOverrides(definition: MachineDefinition): Record<string, number> | undefined {
    if (this.options.retryDelayMs === undefined) return undefined;
    const overrides: Record<string, number> = {};
    for (const [name, state] of allStates(definition)) if (state.Retry) overrides[name] = this.options.retryDelayMs;
    return overrides;
  }
}

const checked = new Set<string>();

/**
 * Validates a definition with asl-validator the first time this process runs it, then tells the engine to skip its
 * own check: validation costs about 70 ms per execution, which a backfill or a training run repeats many times.
 */
function validated(workflow: string, definition: MachineDefinition): { noValidate: true } {
  // Keyed by the definition's content, so an edited file is validated again.
  const key = `${workflow}:${sha256(new TextEncoder().encode(JSON.stringify(definition)))}`;
  if (!checked.has(key)) {
    const result = aslValidator(definition);
    if (!result.isValid) throw new InvalidInputError(`workflow "${workflow}" is not valid ASL: ${result.errorsText('; ')}`);
    checked.add(key);
  }
  return { noValidate: true };
}

function describeFailure(error: unknown): { error: string; cause: string } {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return { error: cause.name, cause: cause.message };
  return { error: 'Error', cause: String(cause) };
}
