import {
  DescribeExecutionCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Config } from '../core/config/config.ts';
import { ConfigError } from '../core/config/config.ts';
import type { Store } from '../core/store/store.ts';
import type { StartOptions, TaskResult, WorkflowEngine, WorkflowSummary } from '../core/workflow/engine.ts';
import { ConflictError } from '../core/errors.ts';
import { ExecutionStatus, newExecutionId, type ExecutionRecord } from '../core/workflow/execution.ts';
import { ExecutionLog } from '../core/workflow/execution-log.ts';
import { WORKFLOWS } from '../workflows/catalog.ts';
import { parseWorkflowInput } from '../workflows/definitions.ts';

const STATUS: Record<string, ExecutionRecord['status']> = {
  RUNNING: ExecutionStatus.running,
  PENDING_REDRIVE: ExecutionStatus.running,
  SUCCEEDED: ExecutionStatus.succeeded,
  FAILED: ExecutionStatus.failed,
  TIMED_OUT: ExecutionStatus.failed,
  ABORTED: ExecutionStatus.aborted,
};

/**
 * The AWS engine: starts the deployed state machines (ARNs from REVERIE_STATE_MACHINES, set by infra) and reads
 * their status from Step Functions, keeping the same execution records in the store as the local engine.
 */
export class SfnWorkflowEngine implements WorkflowEngine {
  readonly kind = 'aws' as const;
  private readonly client: SFNClient;
  private readonly log: ExecutionLog;
  private readonly stateMachines: Record<string, string>;
  private readonly pollMs: number;

  constructor(config: Config, store: Store, options: { client?: SFNClient; pollMs?: number } = {}) {
    this.client = options.client ?? new SFNClient(config.awsEndpoint ? { endpoint: config.awsEndpoint } : {});
    this.log = new ExecutionLog(store);
    this.stateMachines = config.stateMachines;
    this.pollMs = options.pollMs ?? 2000;
  }

  async workflows(): Promise<WorkflowSummary[]> {
    return WORKFLOWS.filter((w) => this.stateMachines[w.name]).map(({ name, description }) => ({ name, description }));
  }

  async start(workflow: string, rawInput: unknown, options: StartOptions = {}): Promise<ExecutionRecord> {
    const { input } = parseWorkflowInput(workflow, rawInput);
    const arn = this.stateMachines[workflow];
    if (!arn) throw new ConfigError(`REVERIE_STATE_MACHINES has no state machine ARN for workflow "${workflow}"`);
    const id = options.executionId ?? newExecutionId(workflow);
    const now = new Date().toISOString();
    const record: ExecutionRecord = { id, workflow, engine: 'aws', status: ExecutionStatus.running, input, startedAt: now, updatedAt: now };
    // The record is claimed first, create-only, so two starts with one id never both reach Step Functions.
    await this.log.create(record);
    let executionArn: string | undefined;
    try {
      ({ executionArn } = await this.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: id, input: JSON.stringify(input) })));
    } catch (error) {
      await this.log.remove(id);
      if ((error as Error).name === 'ExecutionAlreadyExists') {
        throw new ConflictError(`execution "${id}" already exists in Step Functions: execution names are used once`, { cause: error });
      }
      throw error;
    }
    const started = { ...record, executionArn };
    await this.log.save(started);
    return started;
  }

  async describe(executionId: string): Promise<ExecutionRecord> {
    const record = await this.log.get(executionId);
    if (!record.executionArn || record.status !== ExecutionStatus.running) return record;
    const out = await this.client.send(new DescribeExecutionCommand({ executionArn: record.executionArn }));
    const status = STATUS[out.status ?? 'RUNNING'] ?? ExecutionStatus.running;
    const updated: ExecutionRecord = {
      ...record,
      status,
      output: out.output === undefined ? undefined : JSON.parse(out.output),
      error: out.error ? { error: out.error, cause: out.cause ?? '' } : out.status === 'TIMED_OUT' ? { error: 'States.Timeout', cause: 'execution timed out' } : undefined,
      stoppedAt: out.stopDate?.toISOString(),
    };
    if (status !== ExecutionStatus.running) await this.log.save(updated);
    return updated;
  }

  async wait(executionId: string): Promise<ExecutionRecord> {
    for (;;) {
      const record = await this.describe(executionId);
      if (record.status !== ExecutionStatus.running) return record;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  async list(workflow?: string): Promise<string[]> {
    return this.log.list(workflow);
  }

  async completeTask(token: string, result: TaskResult): Promise<void> {
    if ('output' in result) {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(result.output ?? {}) }));
    } else {
      await this.client.send(new SendTaskFailureCommand({ taskToken: token, error: result.error, cause: result.cause }));
    }
  }

  async heartbeatTask(token: string): Promise<void> {
    await this.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  }
}
