import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function version(pkg: string): string {
  try {
    const dir = pkg === 'reverie' ? ROOT : path.join(ROOT, 'node_modules', pkg);
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Run metadata for the report: configuration (secrets masked), seeds, versions, timings, machine. */
export function runMetadata(config: Record<string, unknown>, seeds: Record<string, number>, timings: Record<string, number>) {
  const api = config.api as { token?: string } | undefined;
  const llm = config.llm as Record<string, { baseUrl: string; model: string }> | undefined;
  return {
    config: {
      store: String(config.store),
      engine: String(config.engine),
      apiToken: api?.token ? 'set' : 'unset',
      llmRoles: Object.entries(llm ?? {}).map(([role, e]) => `${role}: ${e.model} @ ${e.baseUrl}`).join('; ') || 'none (built-in models)',
    },
    seeds,
    versions: {
      reverie: version('reverie'),
      node: process.version,
      'onnxruntime-node': version('onnxruntime-node'),
      'aws-local-stepfunctions': version('aws-local-stepfunctions'),
      openai: version('openai'),
    },
    timings,
    machine: { platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
  };
}
