import { UsageError, type CliContext, type Command } from '../../context.ts';
import { consistency, CONSISTENCY_USAGE } from './consistency.ts';
import { offline, OFFLINE_USAGE } from './offline.ts';
import { run, RUN_USAGE } from './run.ts';

type Subcommand = { usage: string; run: (args: string[], context: CliContext) => Promise<number> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  offline: { usage: OFFLINE_USAGE, run: offline },
  consistency: { usage: CONSISTENCY_USAGE, run: consistency },
  run: { usage: RUN_USAGE, run },
};

export const dreamgymCommand: Command = {
  name: 'dreamgym',
  summary: 'DreamGym: offline data, experience models, consistency, training runs',
  get usage() {
    return Object.values(SUBCOMMANDS).map((s) => s.usage).join('\n');
  },
  async run(args, context) {
    const [sub, ...rest] = args;
    const command = sub ? SUBCOMMANDS[sub] : undefined;
    if (!command) throw new UsageError(`unknown dreamgym subcommand "${sub ?? ''}"; usage:\n${this.usage}`);
    return command.run(rest, context);
  },
};
