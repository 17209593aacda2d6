import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Runtime } from '../../../adapters/runtime.ts';
import { errorResponses } from '../schemas.ts';

const TokenParam = z.object({ token: z.string().min(1).max(2048) });
const ok = { 200: { description: 'recorded', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } } };

const succeed = createRoute({
  method: 'post',
  path: '/v1/tasks/{token}/success',
  summary: 'Complete a state waiting on a task token (an external trainer reports its result)',
  security: [{ bearer: [] }],
  request: { params: TokenParam, body: { content: { 'application/json': { schema: z.object({ output: z.unknown() }) } } } },
  responses: { ...ok, ...errorResponses },
});

const fail = createRoute({
  method: 'post',
  path: '/v1/tasks/{token}/failure',
  summary: 'Fail a state waiting on a task token',
  security: [{ bearer: [] }],
  request: { params: TokenParam, body: { content: { 'application/json': { schema: z.object({ error: z.string().min(1).max(256), cause: z.string().max(32_768).default('') }) } } } },
  responses: { ...ok, ...errorResponses },
});

export function registerTaskRoutes(app: OpenAPIHono, runtime: Runtime): void {
  app.openapi(succeed, async (c) => {
    await (await runtime.engine()).completeTask(c.req.valid('param').token, { output: c.req.valid('json').output ?? {} });
    return c.json({ ok: true as const }, 200);
  });
  app.openapi(fail, async (c) => {
    const { error, cause } = c.req.valid('json');
    await (await runtime.engine()).completeTask(c.req.valid('param').token, { error, cause });
    return c.json({ ok: true as const }, 200);
  });
}
