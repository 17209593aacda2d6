import { OpenAPIHono } from '@hono/zod-openapi';
import type { Runtime } from '../../adapters/runtime.ts';
import { ConfigError } from '../../core/config/config.ts';
import { ErrorKind } from '../../core/errors.ts';
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
export function createApp(runtime: Runtime): OpenAPIHono {
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
