import { handle } from 'hono/aws-lambda';
import { getRuntime } from '../../adapters/runtime.ts';
import { loadLambdaPlugins } from '../env-plugins.ts';
import { createApp } from './app.ts';

/**
 * The API on a Lambda function URL. It loads the deploy's environment plug-ins (REVERIE_ENV_PLUGINS, bundled beside
 * it as for the task functions) before its first request, so a run on a plug-in environment starts over HTTP too.
 */
export const handler = handle(createApp(getRuntime(), { ready: () => loadLambdaPlugins() }));
