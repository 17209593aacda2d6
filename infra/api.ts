import { onnxRuntimeLayer } from './layers.ts';
import { bucket, storeUri } from './storage.ts';
import { queueUrls } from './queues.ts';
import { vpc } from './functions.ts';
import { SEARCH_BUNDLING } from './bundling.ts';
import { envPluginCopyFiles, envPluginsFor } from './env-plugins.ts';
import { API_ROLE } from './permissions.ts';
import { startPermissions, stateMachineArns } from './workflows.ts';
import { vectorEnvironment, vectorPermissions } from './vectors.ts';

const usearch = process.env.REVERIE_VECTOR_INDEX === 'usearch';

/** Token for mutating routes: `npx sst secret set ApiToken <16+ characters>`. */
export const apiToken = new sst.Secret('ApiToken');

/** The deploy's environment plug-ins: the API checks a run's `env` against them before it starts the run. */
const plugins = envPluginsFor({ environments: true });

/** The Hono API on a function URL; it starts and reads Step Functions executions and searches galleries (ONNX). */
export const api = new sst.aws.Function('Api', {
  handler: 'functions/api/lambda.handler',
  runtime: 'nodejs22.x',
  // usearch holds the gallery's indexes in memory and loads them through a temporary file: the most Lambda allows.
  memory: usearch ? '10240 MB' : '2048 MB',
  ...(usearch ? { storage: '10240 MB' } : {}),
  timeout: '30 seconds',
  url: true,
  layers: [onnxRuntimeLayer.arn],
  ...(vpc ? { vpc } : {}),
  link: [bucket],
  environment: {
    REVERIE_STORE: storeUri,
    REVERIE_ENGINE: 'aws',
    REVERIE_STATE_MACHINES: stateMachineArns,
    REVERIE_QUEUES: queueUrls([]),
    REVERIE_API_TOKEN: apiToken.value,
    ...vectorEnvironment(),
    ...plugins.environment,
  },
  ...(plugins.files.length > 0 ? { copyFiles: envPluginCopyFiles(plugins.files) } : {}),
  // Start/Describe on the state machines; SendTaskSuccess/Failure/Heartbeat on * (task tokens name no resource).
  permissions: startPermissions({ taskTokens: API_ROLE.taskTokens }).apply((granted) => [...granted, ...vectorPermissions()]),
  nodejs: { ...SEARCH_BUNDLING, install: [...SEARCH_BUNDLING.install], esbuild: { external: [...SEARCH_BUNDLING.esbuild.external] } },
});
