import { OpenAPIHono } from '@hono/zod-openapi';
import type { Runtime } from '../../adapters/runtime.ts';
import { ConfigError } from '../../core/config/config.ts';
import { ErrorKind, ReverieError } from '../../core/errors.ts';
import { formatIssue } from '../../core/store/json.ts';
import { requireBearerOnMutations } from './auth.ts';
import { errorBody, renderError } from './errors.ts';
import { limitBodySize, limitJsonDepth } from './limits.ts';
import { redactor } from './redact.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerGalleryRoutes } from './routes/galleries.ts';
import { registerTaskRoutes } from './routes/tasks.ts';
import { registerWorkflowRoutes } from './routes/workflows.ts';

export const API_VERSION = '0.1.0';

/**
 * The Hono app behind `reverie serve` and the Lambda function URL. Refuses to exist without a token unless
 * REVERIE_API_OPEN is set, so nobody deploys an open API by accident.
 *
 * @example
 * const app = createApp(runtime);
 * const res = await app.request('/health');
 */
export function createApp(runtime: Runtime, options: { ready?: () => Promise<void> } = {}): OpenAPIHono {
  const { token, open } = runtime.config.api;
  if (!token && !open) {
    throw new ConfigError('REVERIE_API_TOKEN is not set: set a token (16+ characters) or REVERIE_API_OPEN=true for an open local API');
  }
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(errorBody(ErrorKind.invalidInput, result.error.issues.slice(0, 5).map(formatIssue).join('; ')), 400);
    },
  });
  const redact = redactor(runtime.store);
  app.onError((error, c) => renderError(error, c, runtime.log, redact));
  app.notFound((c) => c.json(errorBody(ErrorKind.notFound, `no route ${c.req.method} ${c.req.path}`), 404));
  if (options.ready) app.use('*', awaitReady(options.ready));
  app.use('*', requireBearerOnMutations(token));
  app.use('*', limitBodySize(runtime.config.limits.maxBodyBytes));
  app.use('*', limitJsonDepth(runtime.config.limits.maxJsonDepth));

  app.get('/health', (c) => c.json({ status: 'ok', version: API_VERSION, engine: runtime.config.engine }));
  registerWorkflowRoutes(app, runtime);
  registerTaskRoutes(app, runtime);
  registerDashboardRoutes(app, runtime);
  registerGalleryRoutes(app, runtime);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Reverie API', version: API_VERSION } });
  return app;
}

/**
 * Waits for what the app needs before its first request (on Lambda, the deploy's environment plug-ins, so `env` can
 * name one). A failure is the deploy's, not the request's: a 500 naming it, never a 4xx.
 */
function awaitReady(ready: () => Promise<void>) {
  return async (_c: unknown, next: () => Promise<void>) => {
    try {
      await ready();
    } catch (error) {
      throw new ReverieError(ErrorKind.failed, `the API is not ready: ${(error as Error).message}`, { cause: error });
    }
    await next();
  };
}
