import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openStore } from '../../../adapters/runtime.ts';
import { addItemsFromSource } from '../../../core/backfill/gallery/changes/add-from-source.ts';
import { deleteGalleryItems, parseIdList } from '../../../core/backfill/gallery/changes/delete-items.ts';
import { NotFoundError } from '../../../core/errors.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';

export const ADD_USAGE = 'reverie backfill add <gallery> --dataset <folder | s3://bucket/prefix> [--batch-size N] [--threads N] [--json]';
export const DELETE_USAGE = 'reverie backfill delete <gallery> --ids <file: one source id per line> [--json]';

/** Adds a folder's or an S3 prefix's images to a gallery, also while it is being backfilled. */
export async function add(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { dataset: { type: 'string' }, 'batch-size': { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!positionals[0]) throw new UsageError(`name the gallery; usage:\n${ADD_USAGE}`);
  if (!values.dataset) throw new UsageError(`--dataset is required; usage:\n${ADD_USAGE}`);
  const runtime = context.runtime();
  const source = values.dataset.startsWith('s3://') ? openStore({ ...runtime.config, store: values.dataset }) : values.dataset;
  const progress = createProgress(`adding to ${positionals[0]}`, { quiet: values.json });
  const summary = await addItemsFromSource(runtime.store, positionals[0], source, {
    batchSize: intOption(values['batch-size'], '--batch-size', 1, 65_536), intraOpNumThreads: intOption(values.threads, '--threads', 1, 64),
    maxPixels: runtime.config.limits.maxImagePixels, onProgress: (done, total, stage) => progress.update(done, total, stage),
  });
  progress.done();
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  context.out(`gallery ${summary.gallery}: added ${summary.added} items (embedded with the ${summary.spaces.join(' and ')} model${summary.spaces.length > 1 ? 's' : ''})`);
  if (summary.alreadyPresent > 0) context.out(`  ${summary.alreadyPresent} were already in the gallery and were skipped, e.g. ${summary.alreadyPresentIds.slice(0, 3).join(', ')}`);
  for (const c of summary.changes) context.out(`  change ${c.seq}: ${c.firstItemId} … ${c.lastItemId} (${c.count})`);
  return 0;
}

/** Deletes the items listed in a file (source ids, one per line) from a gallery. */
export async function remove(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ids: { type: 'string' }, json: { type: 'boolean', default: false } } });
  if (!positionals[0]) throw new UsageError(`name the gallery; usage:\n${DELETE_USAGE}`);
  if (!values.ids) throw new UsageError(`--ids is required; usage:\n${DELETE_USAGE}`);
  const text = await readFile(values.ids, 'utf8').catch((cause: unknown) => {
    throw new NotFoundError(`--ids ${values.ids} could not be read`, { cause });
  });
  const ids = parseIdList(text);
  if (ids.length === 0) throw new UsageError(`--ids ${values.ids} lists no ids (one source id per line)`);
  const summary = await deleteGalleryItems(context.runtime().store, positionals[0], ids);
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  context.out(`gallery ${summary.gallery}: deleted ${summary.deleted} items${summary.seq === null ? '' : ` (change ${summary.seq})`}`);
  if (summary.alreadyDeleted > 0) context.out(`  ${summary.alreadyDeleted} were deleted before, e.g. ${summary.alreadyDeletedIds.slice(0, 3).join(', ')}`);
  return 0;
}
