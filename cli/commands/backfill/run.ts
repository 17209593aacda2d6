import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readGalleryStatus } from '../../../core/backfill/gallery/gallery-status.ts';
import { BackfillSummarySchema } from '../../../core/backfill/pipeline/finalise.ts';
import { BackfillInputSchema } from '../../../core/backfill/pipeline/input.ts';
import type { ExecutionRecord } from '../../../core/workflow/execution.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';
import { formatStatus } from './format.ts';

export const RUN_USAGE =
  'reverie backfill run <gallery> [--max-shards N] [--max-concurrency N] [--refit-every N] [--psi-method procrustes|least-squares] [--psi-without-adds] [--batch-size N] [--threads N] [--json]';

/** Runs the `backfill` workflow and draws progress from the gallery itself: shards and items committed so far. */
export async function run(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'max-shards': { type: 'string' }, 'max-concurrency': { type: 'string' }, 'refit-every': { type: 'string' },
      'psi-method': { type: 'string' }, 'psi-without-adds': { type: 'boolean', default: false }, 'batch-size': { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  if (!positionals[0]) throw new UsageError(`name the gallery; usage:\n${RUN_USAGE}`);
  const input = BackfillInputSchema.parse({
    gallery: positionals[0], maxShards: intOption(values['max-shards'], '--max-shards', 1, 10_000_000) ?? null,
    maxConcurrency: intOption(values['max-concurrency'], '--max-concurrency', 1, 1000), refitEvery: intOption(values['refit-every'], '--refit-every', 1, 10_000_000) ?? null,
    psiMethod: values['psi-method'], psiFromAdds: !values['psi-without-adds'], batchSize: intOption(values['batch-size'], '--batch-size', 1, 65_536), intraOpNumThreads: intOption(values.threads, '--threads', 1, 64),
  });
  const runtime = context.runtime();
  await readGalleryStatus(runtime.store, input.gallery);
  const engine = await runtime.engine();
  const started = await engine.start('backfill', input);
  if (!values.json) process.stderr.write(`execution ${started.id}\n`);
  const progress = createProgress(`backfilling ${input.gallery}`, { quiet: values.json });
  const finished = engine.wait(started.id);
  let final: ExecutionRecord | undefined;
  while (!final) {
    final = await Promise.race([finished, sleep(250).then(() => undefined)]);
    const s = await readGalleryStatus(runtime.store, input.gallery);
    progress.update(s.shards.backfilled, s.shards.total, `shards (${s.items.backfilled}/${s.items.total} items)`);
  }
  progress.done();
  if (final.status !== 'SUCCEEDED') {
    process.stderr.write(`reverie: backfill ${final.status.toLowerCase()}: ${final.error?.error ?? ''}: ${final.error?.cause ?? ''}\n`);
    return 1;
  }
  const summary = BackfillSummarySchema.parse(final.output);
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  context.out(formatStatus(summary).join('\n'));
  context.out(`  this run embedded ${summary.run.shardsEmbedded} shards (execution ${summary.run.executionId})`);
  return 0;
}
