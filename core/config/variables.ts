import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `an integer from ${min} to ${max}`).max(max, `an integer from ${min} to ${max}`));
const decimal = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `a number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `a number from ${min} to ${max}`).max(max, `a number from ${min} to ${max}`));
const url = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const jsonMap = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.string(), { error: 'a JSON object of strings' }));

/**
 * Every environment variable Reverie reads, with its schema, default and meaning. `loadConfig` parses them and
 * `reverie config` prints this table, so the README, the CLI and the code cannot drift apart.
 */
export const VARIABLES = {
  REVERIE_STORE: { schema: z.string().min(1), default: 'file://./.reverie', help: 'store root: file://<folder> or s3://<bucket>/<prefix>' },
  REVERIE_API_TOKEN: { schema: z.string().min(16, 'at least 16 characters'), help: 'bearer token required on mutating HTTP routes' },
  REVERIE_API_OPEN: { schema: bool, default: 'false', help: 'true: serve the API without a token (local use only)' },
  REVERIE_PORT: { schema: int(1, 65535), default: '8787', help: 'port of `reverie serve`' },
  REVERIE_ENGINE: { schema: z.enum(['local', 'aws']), default: 'local', help: 'workflow engine: in-process (local) or AWS Step Functions (aws)' },
  REVERIE_STATE_MACHINES: { schema: jsonMap, default: '{}', help: 'JSON map of workflow name to state machine ARN (engine aws)' },
  REVERIE_QUEUES: { schema: jsonMap, default: '{}', help: 'JSON map of queue name to SQS queue URL; unnamed queues are in-process' },
  REVERIE_AWS_ENDPOINT: { schema: url, help: 'custom endpoint for S3/SQS/Step Functions (an emulator); path-style S3' },
  REVERIE_VECTOR_INDEX: { schema: z.enum(['exact', 'usearch', 's3vectors']), default: 'exact', help: 'vector index of gallery search: exact scan, usearch HNSW in process, or Amazon S3 Vectors' },
  REVERIE_VECTOR_BUCKET: { schema: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'an S3 vector bucket name'), help: 'S3 vector bucket (REVERIE_VECTOR_INDEX=s3vectors)' },
  REVERIE_LOG_LEVEL: { schema: z.enum(['debug', 'info', 'warn', 'error']), default: 'info', help: 'log level' },
  REVERIE_API_MAX_BODY_BYTES: { schema: int(1024, 1 << 30), default: String(6 * 1024 * 1024), help: 'largest HTTP request body (413 above; 6 MiB, as a Lambda function URL)' },
  REVERIE_API_MAX_JSON_DEPTH: { schema: int(2, 1000), default: '64', help: 'deepest nesting of arrays and objects in a JSON request body (400 above)' },
  REVERIE_MAX_IMAGE_PIXELS: { schema: int(1, 1 << 30), default: String(40_000_000), help: 'largest image (width × height, read from its header before decoding) accepted for search or ingest' },
  REVERIE_MAX_IMAGE_BYTES: { schema: int(1, 1 << 30), default: String(50_000_000), help: 'largest image file (bytes) a photo ingest, backfill or search reads before refusing it' },
  REVERIE_DECODE_WORKERS: { schema: int(0, 64), help: 'worker threads that read and decode photos while a backfill shard runs inference (0: decode on the inference thread; default: cores − 1, at least 1)' },
  REVERIE_ENV_PLUGINS: { schema: z.string().min(1), help: 'comma-separated environment plug-in modules (each exports `environmentPlugin`); `--env <name>` then selects one' },
  REVERIE_TEXT_EMBEDDER_ONNX: { schema: z.string().min(1), help: 'sentence-embedding .onnx file (vocab.txt beside it) used where an input asks for embedder "onnx"' },
} as const;

export const LLM_ROLES = ['policy', 'experience', 'teacher', 'embeddings'] as const;
export type LlmRole = (typeof LLM_ROLES)[number];

/** Per-role LLM variables: REVERIE_<ROLE>_BASE_URL and friends. A role is used only when its base URL is set. */
export const LLM_VARIABLES = {
  BASE_URL: { schema: url, help: 'OpenAI-compatible base URL, e.g. http://localhost:8000/v1' },
  API_KEY: { schema: z.string().min(1), default: 'none', help: 'API key (local servers accept any)' },
  MODEL: { schema: z.string().min(1), help: 'model name (required when BASE_URL is set)' },
  CONCURRENCY: { schema: int(1, 4096), default: '16', help: 'concurrent requests to this endpoint' },
  TIMEOUT_MS: { schema: int(100, 3_600_000), default: '60000', help: 'per-request timeout' },
  MAX_RETRIES: { schema: int(0, 20), default: '4', help: 'retries on 429, 5xx and timeouts' },
  REPAIR_RETRIES: { schema: int(0, 5), default: '1', help: 'follow-up requests when output fails its schema' },
  TEMPERATURE: { schema: decimal(0, 2), help: 'sampling temperature sent where a call sets none (experience model: 0 when unset)' },
  MAX_TOKENS: { schema: int(1, 1_000_000), help: 'max_tokens sent where a call sets none (experience model: 1024 when unset)' },
} as const;
