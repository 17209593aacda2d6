import { FUNCTIONS, type FunctionSpec } from '../functions/catalog.ts';
import { IMAGE_BUNDLING, TASK_BUNDLING } from './bundling.ts';
import { decodeWorkerBundle, decodeWorkerDestination } from './decode-worker-bundle.ts';
import { envPluginCopyFiles, envPluginsFor } from './env-plugins.ts';
import { onnxRuntimeLayer } from './layers.ts';
import { queueUrls, queues } from './queues.ts';
import { bucket, storeUri } from './storage.ts';
import { vpcFromEnvironment } from './vpc.ts';

/** The functions' VPC when REVERIE_VPC_SUBNETS/REVERIE_VPC_SECURITY_GROUPS are set at deploy time. */
export const vpc = vpcFromEnvironment(process.env);

/** One Lambda per Task-state function in functions/catalog.ts, each linked only to what it uses. */
export const taskFunctions: Record<string, sst.aws.Function> = Object.fromEntries(
  FUNCTIONS.map((spec) => [spec.name, createFunction(spec)]),
);

function createFunction(spec: FunctionSpec): sst.aws.Function {
  const usedQueues = (spec.queues ?? []).map((name) => queues[name as keyof typeof queues]);
  const plugins = envPluginsFor(spec);
  const copyFiles = [...(spec.onnx ? [{ from: decodeWorkerBundle(), to: decodeWorkerDestination(spec.file) }] : []), ...envPluginCopyFiles(plugins.files)];
  return new sst.aws.Function(pascal(spec.name), {
    handler: spec.file.replace(/\.ts$/, '.handler'),
    runtime: 'nodejs22.x',
    architecture: 'x86_64',
    memory: `${spec.memoryMb ?? 1024} MB`,
    timeout: `${spec.timeoutSeconds ?? 60} seconds`,
    link: [bucket, ...usedQueues],
    environment: {
      REVERIE_STORE: storeUri,
      REVERIE_QUEUES: queueUrls(spec.queues ?? []),
      ...llmEnvironment(),
      ...plugins.environment,
    },
    layers: spec.onnx ? [onnxRuntimeLayer.arn] : [],
    ...(vpc ? { vpc } : {}),
    nodejs: spec.onnx
      ? { ...IMAGE_BUNDLING, install: [...IMAGE_BUNDLING.install], esbuild: { external: [...IMAGE_BUNDLING.esbuild.external] } }
      : { ...TASK_BUNDLING, esbuild: { external: [...TASK_BUNDLING.esbuild.external] } },
    // Functions that embed images start decode workers from a file beside their bundle (infra/bundling.ts); those
    // that open environments load the deploy's plug-ins from env-plugins/ (infra/env-plugins.ts).
    ...(copyFiles.length > 0 ? { copyFiles } : {}),
  });
}

export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * The LLM endpoints (REVERIE_POLICY_*, REVERIE_EXPERIENCE_*, REVERIE_TEACHER_*, REVERIE_EMBEDDINGS_*) set in the
 * deploying shell, passed to the functions, so Lambda reaches the same OpenAI-compatible servers.
 */
export function llmEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] =>
      /^REVERIE_(POLICY|EXPERIENCE|TEACHER|EMBEDDINGS)_/.test(entry[0]) && entry[1] !== undefined),
  );
}
