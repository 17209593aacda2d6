import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Runtime } from '../../../adapters/runtime.ts';
import { publicRecord, redactor } from '../redact.ts';
import { errorResponses, ExecutionIdParamSchema, ExecutionRecordSchema, StartExecutionBodySchema, WorkflowNameParamSchema } from '../schemas.ts';

const listWorkflows = createRoute({
  method: 'get',
  path: '/v1/workflows',
  summary: 'List the workflows this deployment can run',
  responses: {
    200: {
      description: 'workflows',
      content: { 'application/json': { schema: z.object({ workflows: z.array(z.object({ name: z.string(), description: z.string() })) }) } },
    },
  },
});

const startExecution = createRoute({
  method: 'post',
  path: '/v1/workflows/{name}/executions',
  summary: 'Start an execution of a named workflow',
  security: [{ bearer: [] }],
  request: {
    params: WorkflowNameParamSchema,
    body: { required: false, content: { 'application/json': { schema: StartExecutionBodySchema } } },
  },
  responses: {
    202: { description: 'started', content: { 'application/json': { schema: ExecutionRecordSchema } } },
    ...errorResponses,
  },
});

const getExecution = createRoute({
  method: 'get',
  path: '/v1/executions/{id}',
  summary: "An execution's status, input, output and error",
  request: { params: ExecutionIdParamSchema },
  responses: {
    200: { description: 'the execution', content: { 'application/json': { schema: ExecutionRecordSchema } } },
    ...errorResponses,
  },
});

const listExecutions = createRoute({
  method: 'get',
  path: '/v1/executions',
  summary: 'Recent execution ids, newest first',
  request: { query: z.object({ workflow: z.string().regex(/^[a-z0-9-]+$/).optional() }) },
  responses: {
    200: { description: 'execution ids', content: { 'application/json': { schema: z.object({ executions: z.array(z.string()) }) } } },
    ...errorResponses,
  },
});

export function registerWorkflowRoutes(app: OpenAPIHono, runtime: Runtime): void {
  const redact = redactor(runtime.store);
  app.openapi(listWorkflows, async (c) => c.json({ workflows: await (await runtime.engine()).workflows() }, 200));

  app.openapi(startExecution, async (c) => {
    const { name } = c.req.valid('param');
    // The body is optional: a bare POST starts the workflow with its default input.
    const body = (c.req.header('content-type') ?? '').includes('json') ? c.req.valid('json') : { input: {}, executionId: undefined };
    const record = await (await runtime.engine()).start(name, body.input ?? {}, { executionId: body.executionId });
    return c.json(publicRecord(record, redact), 202);
  });

  app.openapi(getExecution, async (c) => c.json(publicRecord(await (await runtime.engine()).describe(c.req.valid('param').id), redact), 200));

  app.openapi(listExecutions, async (c) => c.json({ executions: await (await runtime.engine()).list(c.req.valid('query').workflow) }, 200));
}
