import { z } from 'zod';
import { ExecutionRecordSchema } from '../../core/workflow/execution.ts';

export const ErrorResponseSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const StartExecutionBodySchema = z.object({
  input: z.record(z.string(), z.unknown()).default({}).describe('workflow input, checked against the workflow schema'),
  executionId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/).optional().describe('optional id; generated when absent'),
});

export const WorkflowNameParamSchema = z.object({ name: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes') });
export const ExecutionIdParamSchema = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'an execution id') });

export { ExecutionRecordSchema };

export const errorResponses = {
  400: { description: 'invalid input', content: { 'application/json': { schema: ErrorResponseSchema } } },
  401: { description: 'missing or wrong bearer token', content: { 'application/json': { schema: ErrorResponseSchema } } },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorResponseSchema } } },
} as const;
