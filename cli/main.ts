import { ZodError } from 'zod';
import { ReverieError } from '../core/errors.ts';
import { formatIssue } from '../core/store/json.ts';
import { backfillCommand } from './commands/backfill/index.ts';
import { configCommand } from './commands/config.ts';
import { dreamgymCommand } from './commands/dreamgym/index.ts';
import { earlyCommand } from './commands/early/index.ts';
import { exportCommand } from './commands/export.ts';
import { serveCommand } from './commands/serve.ts';
import { startCommand } from './commands/start/index.ts';
import { workflowCommand } from './commands/workflow.ts';
import { createContext, type Command } from './context.ts';
import { loadEnvironmentPlugins } from '../core/env/environment-plugins.ts';

const COMMANDS: Command[] = [startCommand, dreamgymCommand, earlyCommand, workflowCommand, serveCommand, configCommand, backfillCommand, exportCommand];

function help(): string {
  const lines = ['reverie: serverless workflows for experience synthesis, early experience and online backfilling', '', 'commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'usage:');
  for (const c of COMMANDS) lines.push(...c.usage.split('\n').map((u) => `  ${u}`));
  lines.push('', 'Configuration comes from REVERIE_* environment variables; `reverie config` lists them.');
  return lines.join('\n');
}

/** Runs one CLI invocation and returns its exit code: 0 done, 1 the work failed, 2 bad usage or input. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`reverie: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await loadEnvironmentPlugins(process.env.REVERIE_ENV_PLUGINS);
    return await command.run(args, createContext());
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof ZodError) {
    process.stderr.write(`reverie: invalid options: ${error.issues.slice(0, 5).map(formatIssue).join('; ')}\n`);
    return 2;
  }
  if (error instanceof ReverieError) {
    process.stderr.write(`reverie: ${error.message}\n`);
    return error.kind === 'invalid_input' || error.kind === 'not_found' || error.kind === 'conflict' ? 2 : 1;
  }
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`reverie: ${error.message}\n`);
    return 2;
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`reverie: ${(error as Error).message}\n`);
    return 2;
  }
  // A system error (a port in use, a folder that cannot be read) is the machine's state, not a bug: one line.
  if (typeof code === 'string' && SYSTEM_ERRORS[code]) {
    process.stderr.write(`reverie: ${SYSTEM_ERRORS[code]}: ${(error as Error).message}\n`);
    return 1;
  }
  const detail = process.env.REVERIE_LOG_LEVEL === 'debug' && error instanceof Error ? `\n${error.stack}` : '';
  process.stderr.write(`reverie: internal error: ${error instanceof Error ? error.message : String(error)}` +
    `${detail || ' (REVERIE_LOG_LEVEL=debug shows where)'}\n`);
  return 1;
}

const SYSTEM_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (choose another with --port or REVERIE_PORT)',
  EADDRNOTAVAIL: 'that address is not on this machine (--host)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'a folder was given where a file is expected',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
};

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
