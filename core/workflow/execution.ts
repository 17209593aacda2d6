import { z } from 'zod';

export const ExecutionStatus = {
  running: 'RUNNING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  aborted: 'ABORTED',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export const ExecutionProgressSchema = z.object({
  currentState: z.string().optional(),
  statesEntered: z.number().int().nonnegative(),
  tasksSucceeded: z.number().int().nonnegative(),
  tasksFailed: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  mapIterationsStarted: z.number().int().nonnegative(),
  mapIterationsSucceeded: z.number().int().nonnegative(),
  mapIterationsFailed: z.number().int().nonnegative(),
});
export type ExecutionProgress = z.infer<typeof ExecutionProgressSchema>;

export const ExecutionRecordSchema = z.object({
  id: z.string(),
  workflow: z.string(),
  engine: z.enum(['local', 'aws']),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED']),
  input: z.unknown(),
  output: z.unknown().optional(),
  error: z.object({ error: z.string(), cause: z.string() }).optional(),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  updatedAt: z.string(),
  progress: ExecutionProgressSchema.optional(),
  /** Which process runs a local execution, so a reader can tell a live run from one whose process died. */
  runner: z.object({ host: z.string(), pid: z.number().int() }).optional(),
  /** The AWS execution ARN, on the aws engine. */
  executionArn: z.string().optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecordSchema>;

export function emptyProgress(): ExecutionProgress {
  return {
    statesEntered: 0, tasksSucceeded: 0, tasksFailed: 0, retries: 0,
    mapIterationsStarted: 0, mapIterationsSucceeded: 0, mapIterationsFailed: 0,
  };
}

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** A new execution id: the workflow name, a UTC timestamp and a random suffix, so ids sort by start time. */
export function newExecutionId(workflow: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase();
  return `${workflow}-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

export function isExecutionId(id: string): boolean {
  return ID.test(id);
}
