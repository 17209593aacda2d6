import { parseArgs } from 'node:util';
import { GallerySplit } from '../../../core/backfill/gallery/ingest-source.ts';
import { ingestGallery, type IngestSummary } from '../../../core/backfill/gallery/ingest.ts';
import { ingestPhotoGallery } from '../../../core/backfill/gallery/stream-ingest.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';
import { createProgress } from '../../progress.ts';

export const INGEST_USAGE =
  'reverie backfill ingest --dataset <folder|s3://bucket/prefix> --gallery ID --old-model OLD.card.json --new-model NEW.card.json [--psi online|PSI.json] ' +
  '[--shard-size N] [--query-fraction F] [--page-size N] [--store-tensors] [--json]\n' +
  'reverie backfill ingest --dataset fashion-mnist|mnist|<folder of PNG/JPEG> [--gallery ID] [--split gallery|all] [--shard-size N] ' +
  '[--old-model F --new-model F] [--psi F|online] [--query-fraction F] [--grayscale] [--max-items N] [--max-queries N] [--seed S] [--json]';

export async function ingest(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' }, gallery: { type: 'string' }, split: { type: 'string' }, 'shard-size': { type: 'string' },
      'old-model': { type: 'string' }, 'new-model': { type: 'string' }, psi: { type: 'string' }, 'query-fraction': { type: 'string' },
      grayscale: { type: 'boolean', default: false }, 'max-items': { type: 'string' }, 'max-queries': { type: 'string' },
      seed: { type: 'string' }, threads: { type: 'string' }, 'page-size': { type: 'string' }, 'store-tensors': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    },
  });
  if (!values.dataset) throw new UsageError(`--dataset is required; usage:\n${INGEST_USAGE}`);
  if (values.split !== undefined && !Object.values(GallerySplit).includes(values.split as GallerySplit)) {
    throw new UsageError(`--split must be gallery or all, got "${values.split}"`);
  }
  const queryFraction = values['query-fraction'] === undefined ? undefined : Number(values['query-fraction']);
  if (queryFraction !== undefined && !(queryFraction > 0 && queryFraction < 1)) throw new UsageError(`--query-fraction must be between 0 and 1, got "${values['query-fraction']}"`);
  const progress = createProgress('ingesting', { quiet: values.json });
  const withCards = [values['old-model'], values['new-model']].some((m) => m?.endsWith('.json')) || values.dataset.startsWith('s3://');
  if (values['store-tensors'] && !withCards) {
    throw new UsageError('--store-tensors applies to photo galleries ingested with model cards (--old-model/--new-model *.card.json); a built-in dataset or a folder ingested with .onnx models already stores its decoded pixels in its shards');
  }
  const summary = withCards ? await ingestWithCards(values, queryFraction, context, progress) : await ingestGallery(context.runtime().store, {
    dataset: values.dataset, galleryId: values.gallery, split: values.split as GallerySplit | undefined,
    shardSize: intOption(values['shard-size'], '--shard-size', 1, 1_000_000), queryFraction, toGrayscale: values.grayscale,
    models: { old: values['old-model'], new: values['new-model'], psi: values.psi },
    maxItems: intOption(values['max-items'], '--max-items', 1, 100_000_000), maxQueries: intOption(values['max-queries'], '--max-queries', 0, 100_000_000),
    orderSeed: intOption(values.seed, '--seed', 0, 2 ** 31), intraOpNumThreads: intOption(values.threads, '--threads', 1, 64),
    onProgress: (done, total, stage) => progress.update(done, total, stage),
  });
  progress.done();
  if (values.json) {
    context.out(JSON.stringify(summary, null, 2));
    return 0;
  }
  context.out(`gallery ${summary.gallery} ${summary.created ? 'ingested' : 'already ingested (nothing rewritten)'}`);
  context.out(`  ${summary.items} gallery items in ${summary.shards} shards of ${summary.shardSize}, ${summary.queries} held-out queries`);
  context.out(`  old model ${summary.dims.old}-d (index embedded), new model ${summary.dims.new}-d, ψ ${summary.psi === 'trained' ? 'trained (given)' : 'fitted online during the backfill'}`);
  context.out(`  next: reverie backfill run ${summary.gallery}`);
  return 0;
}

/** A folder or `s3://` prefix of photos with two model cards: the streaming ingest. */
async function ingestWithCards(
  values: Record<string, string | boolean | undefined>, queryFraction: number | undefined, context: CliContext, progress: ReturnType<typeof createProgress>,
): Promise<IngestSummary> {
  const [oldCard, newCard, gallery] = [values['old-model'], values['new-model'], values.gallery] as (string | undefined)[];
  if (!oldCard?.endsWith('.json') || !newCard?.endsWith('.json')) throw new UsageError('--old-model and --new-model must both be model cards (.card.json) for a photo source');
  const psi = values.psi === undefined || values.psi === 'online' ? undefined : values.psi as string;
  if (psi !== undefined && !psi.endsWith('.json')) {
    throw new UsageError(`--psi with model cards is "online" or a ψ file made for these cards by \`reverie backfill psi train\` (.json), got "${psi}"`);
  }
  if (!gallery) throw new UsageError('--gallery ID is required for a photo source');
  const runtime = context.runtime();
  return ingestPhotoGallery(runtime.store, {
    dataset: values.dataset as string, galleryId: gallery, oldCard, newCard, psi, queryFraction, storeTensors: values['store-tensors'] === true,
    shardSize: intOption(values['shard-size'] as string | undefined, '--shard-size', 1, 1_000_000),
    pageSize: intOption(values['page-size'] as string | undefined, '--page-size', 1, 10_000),
    openStore: runtime.sourceStore, maxPixels: runtime.config.limits.maxImagePixels, maxBytes: runtime.config.limits.maxImageBytes,
    onProgress: (done, _total, stage) => progress.update(done, undefined, stage),
  });
}
