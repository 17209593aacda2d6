import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { searchGallery } from '../../../core/backfill/gallery/search/search-gallery.ts';
import { NotFoundError } from '../../../core/errors.ts';
import { intOption, UsageError, type CliContext } from '../../context.ts';

export const SEARCH_USAGE = 'reverie backfill search <gallery> (--item ID | --image FILE.png|jpg|webp) [--mode rt-merge|rank-merge|naive|old] [--k N] [--json]';

export async function search(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { item: { type: 'string' }, image: { type: 'string' }, mode: { type: 'string' }, k: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!positionals[0]) throw new UsageError(`name the gallery; usage:\n${SEARCH_USAGE}`);
  if ((values.item === undefined) === (values.image === undefined)) throw new UsageError('give exactly one of --item or --image');
  const image = values.image === undefined ? undefined : await readFile(values.image).then((b) => b.toString('base64'), (cause: unknown) => {
    throw new NotFoundError(`--image ${values.image} could not be read`, { cause });
  });
  const runtime = context.runtime();
  const result = await searchGallery(runtime.store, positionals[0], {
    itemId: values.item, image, mode: values.mode as never, k: intOption(values.k, '--k', 1, 1000),
  }, { maxImagePixels: runtime.config.limits.maxImagePixels, maxImageBytes: runtime.config.limits.maxImageBytes, vectorIndex: runtime.vectorIndex(), openStore: runtime.sourceStore });
  if (values.json) {
    context.out(JSON.stringify({ results: result.hits.map((h) => ({ sourceId: h.sourceId, score: h.score })), ...result }, null, 2));
    return 0;
  }
  const query = result.query.id ? `${result.query.id} (${result.query.sourceId}, label ${result.query.label ?? '-'})` : 'the uploaded image';
  context.out(`${result.mode} search of ${query} in ${result.gallery}, ${(100 * result.backfilledFraction).toFixed(1)}% backfilled; ψ: ${result.psi}`);
  result.hits.forEach((h, i) => {
    context.out(`  ${String(i + 1).padStart(3)}. ${h.id}  ${h.sourceId}  label ${h.className ?? h.label ?? '-'}  ${h.space}  distance ${h.distance.toFixed(4)}`);
  });
  const { galleryMs, embedMs, searchMs } = result.timings;
  context.out(`  ${result.latencyMs.toFixed(1)} ms (gallery ${galleryMs.toFixed(1)}, embed ${embedMs.toFixed(1)}, search ${searchMs.toFixed(1)})`);
  return 0;
}
