import { parseArgs } from 'node:util';
import { listGalleryStatuses, readGalleryStatus } from '../../../core/backfill/gallery/gallery-status.ts';
import type { CliContext } from '../../context.ts';
import { formatStatus } from './format.ts';

export const STATUS_USAGE = 'reverie backfill status [<gallery>] [--json]';

export async function status(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  const store = context.runtime().store;
  const statuses = positionals[0] ? [await readGalleryStatus(store, positionals[0])] : await listGalleryStatuses(store);
  if (values.json) {
    context.out(JSON.stringify(positionals[0] ? statuses[0] : { galleries: statuses }, null, 2));
    return 0;
  }
  if (statuses.length === 0) context.out('no galleries yet: reverie backfill ingest --dataset fashion-mnist');
  for (const s of statuses) context.out(formatStatus(s).join('\n'));
  return 0;
}
