import type { Runtime } from '../adapters/runtime.ts';
import { createLocalRuntime } from '../workflows/local-runtime.ts';
import { loadConfig } from '../core/config/config.ts';
import { InvalidInputError } from '../core/errors.ts';

export interface CliContext {
  runtime(): Runtime;
  out: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], context: CliContext): Promise<number>;
}

export function createContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  let runtime: Runtime | undefined;
  return {
    runtime: () => (runtime ??= createLocalRuntime(loadConfig(env))),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

export class UsageError extends InvalidInputError {}

/** Parses a whole number option, naming the flag when it is not one. */
export function intOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

export interface Subcommand {
  usage: string;
  run(args: string[], context: CliContext): Promise<number>;
}

/** A command made of subcommands (`reverie dreamgym offline …`): its usage lists theirs, and it dispatches by name. */
export function commandGroup(name: string, summary: string, subcommands: Record<string, Subcommand>): Command {
  const usage = Object.values(subcommands).map((s) => s.usage).join('\n');
  return {
    name,
    summary,
    usage,
    async run(args, context) {
      const [sub, ...rest] = args;
      const command = sub ? subcommands[sub] : undefined;
      if (!command) throw new UsageError(`unknown ${name} subcommand "${sub ?? ''}"; usage:\n${usage}`);
      return command.run(rest, context);
    },
  };
}
