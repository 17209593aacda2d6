import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/reverie.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `reverie` CLI in a child process (the same Node as the tests) with the given environment. */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** `runCli`, with stdout parsed as JSON when the command succeeded and was given `--json` (else `json` is undefined). */
export async function runCliJson(args: string[], env: Record<string, string>, cwd?: string): Promise<CliResult & { json: any }> {
  const result = await runCli(args, env, cwd);
  return { ...result, json: result.code === 0 && args.includes('--json') ? JSON.parse(result.stdout) : undefined };
}
