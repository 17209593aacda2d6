import { handle } from 'hono/aws-lambda';
import { getRuntime } from '../../adapters/runtime.ts';
import { createApp } from './app.ts';

/** The API on a Lambda function URL. */
export const handler = handle(createApp(getRuntime()));
