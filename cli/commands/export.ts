import { parseArgs } from 'node:util';
import { openStore } from '../../adapters/runtime.ts';
import { exportDataset } from '../../core/export/export-dataset.ts';
import { intOption, UsageError, type Command } from '../context.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a stored dataset as Parquet (verl), a Hugging Face dataset folder (TRL), JSONL or ART trajectory groups',
  usage: 'reverie export <rollouts|offline|sft|iwm|sr|embeddings>:<id> --format parquet|hf|jsonl|art [--to <uri>] [--shard-rows N] [--row-group-rows N] [--json]',
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' }, to: { type: 'string' }, 'shard-rows': { type: 'string' }, 'row-group-rows': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [dataset, ...extra] = positionals;
    if (!dataset || extra.length > 0) throw new UsageError(`export takes one dataset, e.g. rollouts:<run-id>; usage: ${exportCommand.usage}`);
    if (!values.format) throw new UsageError(`export needs --format parquet, hf, jsonl or art; usage: ${exportCommand.usage}`);
    const runtime = context.runtime();
    const to = values.to ?? `${runtime.store.uri.replace(/\/+$/, '')}/exports/${dataset.replace(/[:/]/g, '-')}-${values.format}`;
    const target = openStore({ ...runtime.config, store: to });
    const result = await exportDataset(runtime.store, target, {
      dataset,
      format: values.format,
      shardRows: intOption(values['shard-rows'], '--shard-rows', 1, 100_000_000),
      rowGroupRows: intOption(values['row-group-rows'], '--row-group-rows', 1, 1_000_000),
    });
    if (values.json) context.out(JSON.stringify(result, null, 2));
    else context.out(`exported ${result.rows} rows of ${result.dataset} as ${result.format} to ${result.target} (${result.objects.length} files)`);
    return 0;
  },
};
