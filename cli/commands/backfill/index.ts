import { UsageError, type CliContext, type Command } from '../../context.ts';
import { evaluate, EVAL_USAGE } from './eval.ts';
import { ingest, INGEST_USAGE } from './ingest.ts';
import { run, RUN_USAGE } from './run.ts';
import { search, SEARCH_USAGE } from './search.ts';
import { status, STATUS_USAGE } from './status.ts';

type Subcommand = { usage: string; run: (args: string[], context: CliContext) => Promise<number> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  ingest: { usage: INGEST_USAGE, run: ingest },
  run: { usage: RUN_USAGE, run },
  status: { usage: STATUS_USAGE, run: status },
  search: { usage: SEARCH_USAGE, run: search },
  eval: { usage: EVAL_USAGE, run: evaluate },
};

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'online backfilling: ingest a gallery, backfill it, search it meanwhile, evaluate',
  get usage() {
    return Object.values(SUBCOMMANDS).map((s) => s.usage).join('\n');
  },
  async run(args, context) {
    const [sub, ...rest] = args;
    const command = sub ? SUBCOMMANDS[sub] : undefined;
    if (!command) throw new UsageError(`unknown backfill subcommand "${sub ?? ''}"; usage:\n${this.usage}`);
    return command.run(rest, context);
  },
};
