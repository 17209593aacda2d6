import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError, loadConfig, type Config } from '../core/config/config.ts';
import type { LlmRole } from '../core/config/variables.ts';
import type { ChatModel } from '../core/llm/chat-model.ts';
import { OpenAIEmbedder, type TextEmbedder } from '../core/llm/embeddings.ts';
import { OpenAIChatModel } from '../core/llm/openai-chat-model.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { MemoryQueue } from '../core/queue/memory-queue.ts';
import type { Queue } from '../core/queue/queue.ts';
import { FileStore } from '../core/store/file-store.ts';
import type { Store } from '../core/store/store.ts';
import { parseStoreUri } from '../core/store/uri.ts';
import type { WorkflowEngine } from '../core/workflow/engine.ts';
import { S3VectorsClient } from '@aws-sdk/client-s3vectors';
import { exactIndexFactory } from '../core/backfill/search/index/exact-index.ts';
import { usearchIndexFactory } from '../core/backfill/search/index/usearch-index.ts';
import type { VectorIndexFactory } from '../core/backfill/search/index/vector-index.ts';
import { S3Store } from './s3-store.ts';
import { s3VectorsIndexFactory } from './s3vectors-index.ts';
import { SqsQueue } from './sqs-queue.ts';

/**
 * Everything a handler, the CLI or the API needs, built once from the config: the composition root. Core code
 * never sees it; handlers pass core functions the pieces they need.
 */
export interface Runtime {
  config: Config;
  store: Store;
  log: Logger;
  /** A named queue: SQS when REVERIE_QUEUES maps the name to a URL, otherwise one in-process queue per name. */
  queue(name: string): Queue;
  /** The chat model of a role, or undefined when that role has no endpoint configured. */
  chat(role: Exclude<LlmRole, 'embeddings'>): ChatModel | undefined;
  embedder(): TextEmbedder | undefined;
  engine(): Promise<WorkflowEngine>;
  /** The vector index of gallery search (REVERIE_VECTOR_INDEX). */
  vectorIndex(): VectorIndexFactory;
  /** A read-side store over a gallery source (`s3://bucket/prefix` or a folder), with the same S3 endpoint. */
  sourceStore(uri: string): Store;
}

export interface RuntimeOverrides {
  store?: Store;
  log?: Logger;
  engine?: (runtime: Runtime) => Promise<WorkflowEngine>;
}

export function openStore(config: Config, uri: string = config.store): Store {
  const location = parseStoreUri(uri);
  if (location.kind === 'file') return new FileStore(location.root);
  const client = new S3Client(config.awsEndpoint ? { endpoint: config.awsEndpoint, forcePathStyle: true } : {});
  return new S3Store({ bucket: location.bucket, prefix: location.prefix, client });
}

export function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  const queues = new Map<string, Queue>();
  const chats = new Map<string, ChatModel>();
  let sqs: SQSClient | undefined;
  let embedder: TextEmbedder | undefined;
  let engine: Promise<WorkflowEngine> | undefined;
  let vectorIndex: VectorIndexFactory | undefined;
  const runtime: Runtime = {
    config,
    store: overrides.store ?? openStore(config),
    sourceStore: (uri) => openStore(config, uri.startsWith('s3://') ? uri : `file://${uri}`),
    log: overrides.log ?? createLogger(config.logLevel),
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        const url = config.queues[name];
        if (url) {
          sqs ??= new SQSClient(config.awsEndpoint ? { endpoint: config.awsEndpoint } : {});
          queue = new SqsQueue({ queueUrl: url, client: sqs });
        } else {
          queue = new MemoryQueue(name, { maxReceiveCount: 5, deadLetter: new MemoryQueue(`${name}-dlq`) });
        }
        queues.set(name, queue);
      }
      return queue;
    },
    chat(role) {
      const endpoint = config.llm[role];
      if (!endpoint) return undefined;
      let model = chats.get(role);
      if (!model) chats.set(role, (model = new OpenAIChatModel({ ...endpoint, role })));
      return model;
    },
    embedder() {
      const endpoint = config.llm.embeddings;
      if (!endpoint) return undefined;
      return (embedder ??= new OpenAIEmbedder(endpoint));
    },
    engine() {
      engine ??= (overrides.engine ?? defaultEngine)(runtime);
      return engine;
    },
    vectorIndex() {
      return (vectorIndex ??= openVectorIndex(config));
    },
  };
  return runtime;
}

function openVectorIndex(config: Config): VectorIndexFactory {
  const { kind, bucket } = config.vectorIndex;
  if (kind === 'usearch') return usearchIndexFactory();
  if (kind === 's3vectors') return s3VectorsIndexFactory(new S3VectorsClient(config.awsEndpoint ? { endpoint: config.awsEndpoint } : {}), bucket!);
  return exactIndexFactory;
}

/**
 * Step Functions when REVERIE_ENGINE=aws. The local engine is handed in by whoever runs one (the CLI, `reverie
 * serve`, tests: workflows/local-runtime.ts), never imported here: that keeps it, asl-validator and the ASL engine
 * out of every Lambda bundle, and the layers acyclic (runtime → local engine → functions → runtime).
 */
async function defaultEngine(runtime: Runtime): Promise<WorkflowEngine> {
  if (runtime.config.engine === 'aws') {
    const { SfnWorkflowEngine } = await import('./sfn-engine.ts');
    return new SfnWorkflowEngine(runtime.config, runtime.store);
  }
  throw new ConfigError('this process runs no local workflow engine (a Lambda handler): set REVERIE_ENGINE=aws to start workflows on Step Functions');
}

let shared: Runtime | undefined;

/** The process-wide runtime from environment variables: what Lambda handlers use. */
export function getRuntime(): Runtime {
  return (shared ??= createRuntime(loadConfig(process.env)));
}
