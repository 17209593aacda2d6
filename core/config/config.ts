import fs from 'node:fs';
import type { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { LLM_ROLES, LLM_VARIABLES, VARIABLES, type LlmRole } from './variables.ts';

export interface LlmEndpointConfig {
  role: LlmRole;
  baseUrl: string;
  apiKey: string;
  model: string;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  repairRetries: number;
  /** Sampling sent where a call sets none (REVERIE_<ROLE>_TEMPERATURE, _MAX_TOKENS); the server's default otherwise. */
  temperature?: number;
  maxTokens?: number;
}

export interface Config {
  store: string;
  api: { token?: string; open: boolean; port: number };
  engine: 'local' | 'aws';
  stateMachines: Record<string, string>;
  queues: Record<string, string>;
  awsEndpoint?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  vectorIndex: { kind: 'exact' | 'usearch' | 's3vectors'; bucket?: string };
  llm: Partial<Record<LlmRole, LlmEndpointConfig>>;
  limits: { maxBodyBytes: number; maxJsonDepth: number; maxImagePixels: number; maxImageBytes: number; decodeWorkers?: number };
  /** The sentence-embedding model behind `embedder: "onnx"`: a path from the configuration, never from a request. */
  textEmbedderOnnx?: string;
}

export class ConfigError extends InvalidInputError {}

type Source = Record<string, string | undefined>;

/**
 * Builds the one validated config from environment variables, over an optional JSON file named by REVERIE_CONFIG
 * (same variable names as keys; the environment wins). Every bad value is reported at once, each naming its variable.
 *
 * @example
 * const config = loadConfig(process.env);
 * config.store; // 'file://./.reverie'
 */
export function loadConfig(env: Source = process.env): Config {
  const source = { ...readConfigFile(env.REVERIE_CONFIG), ...definedOnly(env) };
  const problems: string[] = [];
  const read = <T>(name: string, spec: { schema: z.ZodType<T, any>; default?: string }): T | undefined => {
    const raw = source[name] === '' ? undefined : (source[name] ?? spec.default);
    if (raw === undefined) return undefined;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: expected ${parsed.error.issues[0]?.message ?? 'a valid value'}, got ${JSON.stringify(raw)}`);
    return undefined;
  };

  const llm: Config['llm'] = {};
  for (const role of LLM_ROLES) {
    const name = (key: string) => `REVERIE_${role.toUpperCase()}_${key}`;
    // Every variable of a role is checked, set up or not: a typo in a role not in use yet is still a typo.
    const baseUrl = read(name('BASE_URL'), LLM_VARIABLES.BASE_URL);
    const model = read(name('MODEL'), LLM_VARIABLES.MODEL);
    const endpoint = {
      apiKey: read(name('API_KEY'), LLM_VARIABLES.API_KEY)!,
      concurrency: read(name('CONCURRENCY'), LLM_VARIABLES.CONCURRENCY)!,
      timeoutMs: read(name('TIMEOUT_MS'), LLM_VARIABLES.TIMEOUT_MS)!,
      maxRetries: read(name('MAX_RETRIES'), LLM_VARIABLES.MAX_RETRIES)!,
      repairRetries: read(name('REPAIR_RETRIES'), LLM_VARIABLES.REPAIR_RETRIES)!,
      temperature: read(name('TEMPERATURE'), LLM_VARIABLES.TEMPERATURE),
      maxTokens: read(name('MAX_TOKENS'), LLM_VARIABLES.MAX_TOKENS),
    };
    if (baseUrl === undefined) continue;
    if (model === undefined) problems.push(`${name('MODEL')}: expected a model name because ${name('BASE_URL')} is set`);
    llm[role] = { role, baseUrl, model: model ?? '', ...endpoint };
  }

  const config: Config = {
    store: read('REVERIE_STORE', VARIABLES.REVERIE_STORE)!,
    api: {
      token: read('REVERIE_API_TOKEN', VARIABLES.REVERIE_API_TOKEN),
      open: read('REVERIE_API_OPEN', VARIABLES.REVERIE_API_OPEN)!,
      port: read('REVERIE_PORT', VARIABLES.REVERIE_PORT)!,
    },
    engine: read('REVERIE_ENGINE', VARIABLES.REVERIE_ENGINE)!,
    stateMachines: read('REVERIE_STATE_MACHINES', VARIABLES.REVERIE_STATE_MACHINES)!,
    queues: read('REVERIE_QUEUES', VARIABLES.REVERIE_QUEUES)!,
    awsEndpoint: read('REVERIE_AWS_ENDPOINT', VARIABLES.REVERIE_AWS_ENDPOINT),
    logLevel: read('REVERIE_LOG_LEVEL', VARIABLES.REVERIE_LOG_LEVEL)!,
    vectorIndex: { kind: read('REVERIE_VECTOR_INDEX', VARIABLES.REVERIE_VECTOR_INDEX)!, bucket: read('REVERIE_VECTOR_BUCKET', VARIABLES.REVERIE_VECTOR_BUCKET) },
    llm,
    limits: {
      maxBodyBytes: read('REVERIE_API_MAX_BODY_BYTES', VARIABLES.REVERIE_API_MAX_BODY_BYTES)!,
      maxJsonDepth: read('REVERIE_API_MAX_JSON_DEPTH', VARIABLES.REVERIE_API_MAX_JSON_DEPTH)!,
      maxImagePixels: read('REVERIE_MAX_IMAGE_PIXELS', VARIABLES.REVERIE_MAX_IMAGE_PIXELS)!,
      maxImageBytes: read('REVERIE_MAX_IMAGE_BYTES', VARIABLES.REVERIE_MAX_IMAGE_BYTES)!,
      decodeWorkers: read('REVERIE_DECODE_WORKERS', VARIABLES.REVERIE_DECODE_WORKERS),
    },
    textEmbedderOnnx: read('REVERIE_TEXT_EMBEDDER_ONNX', VARIABLES.REVERIE_TEXT_EMBEDDER_ONNX),
  };
  if (config.vectorIndex.kind === 's3vectors' && !config.vectorIndex.bucket) problems.push('REVERIE_VECTOR_BUCKET: expected a vector bucket name because REVERIE_VECTOR_INDEX is s3vectors');
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

function readConfigFile(file: string | undefined): Source {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`REVERIE_CONFIG: cannot read JSON from "${file}": ${(error as Error).message}`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`REVERIE_CONFIG: "${file}" must hold a JSON object of variable names to values`);
  }
  const out: Source = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('REVERIE_')) throw new ConfigError(`REVERIE_CONFIG: "${file}" has unknown key "${key}" (keys are REVERIE_* variable names)`);
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

function definedOnly(env: Source): Source {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('REVERIE_') && v !== undefined));
}
