import { InvalidInputError } from '../../../errors.ts';
import { sha256 } from '../../../store/batch.ts';
import type { Store } from '../../../store/store.ts';
import { preprocessImage, type ImageLimits } from '../../images/preprocess.ts';
import { describeSource, readImageSource, type OpenSourceStore, type SourceItem } from '../../sources/image-source.ts';
import { loadGalleryCardEmbedder } from '../card-models.ts';
import { announceGalleryChange } from '../gallery-changes.ts';
import { readGalleryRecord } from '../gallery-record.ts';
import { readGalleryState } from '../gallery-state.ts';
import { galleryItemId } from '../keys.ts';
import { draftAdd, liveSourceIds, readAddedClasses, type AddItemsOptions } from './add-items.ts';
import { commitAddedRefBatch } from './added-batch.ts';
import { appendChange, readChangeLog, type AddEntry } from './change-log.ts';
import type { AddItemsSummary } from './change-schemas.ts';
import { extendClasses } from './gallery-contents.ts';
import { galleryMembership } from './membership.ts';

export interface AddStreamOptions extends AddItemsOptions, ImageLimits {
  /** Opens `s3://` sources (an adapter: core has no S3 client). */
  readonly openStore?: OpenSourceStore;
}

/**
 * Adds the images of a folder or an `s3://` prefix to a streamed photo gallery while it is served and backfilled, the
 * way its ingest reads: the source is listed in pages (only ids are held), and each chunk of a shard's size is read,
 * preprocessed per the gallery's model cards, embedded with the new model (and the old one unless the backfill is
 * complete), and committed as source references (key, SHA-256, ETag; no pixels) beside the embeddings, then made part
 * of the gallery by one change log entry. Source ids already in the gallery are skipped, so a killed add run again
 * adds the rest once.
 *
 * @example
 * const summary = await addStreamItems(store, 'photos', 's3://photos/2026-12', { openStore });
 * summary.added; // 40
 */
export async function addStreamItems(store: Store, galleryId: string, source: string, options: AddStreamOptions = {}): Promise<AddItemsSummary> {
  const record = await readGalleryRecord(store, galleryId);
  if (record.source.kind !== 'stream') throw new InvalidInputError(`gallery "${galleryId}" holds decoded images; add to it with readItemsToAdd + addGalleryItems`);
  const { kind, uri } = describeSource(source);
  if (kind === 'builtin') throw new InvalidInputError(`add images from a folder or an s3:// prefix, not the built-in dataset "${source}"`);
  const log = await readChangeLog(store, galleryId);
  const membership = galleryMembership(record, log);
  const present = await liveSourceIds(store, record, log);
  const listed: SourceItem[] = [];
  for await (const page of readImageSource(source, { openStore: options.openStore })) listed.push(...page);
  const todo = listed.filter((item) => !present.has(item.sourceId));
  const alreadyPresentIds = listed.filter((item) => present.has(item.sourceId)).map((item) => item.sourceId);
  extendClasses(record.classes, [...(await readAddedClasses(store, membership.adds)), { classNames: todo.map((item) => item.label ?? null) }]);
  const spaces: ('old' | 'new')[] = (await readGalleryState(store, galleryId))?.status === 'complete' ? ['new'] : ['old', 'new'];
  const embedders = { new: await loadGalleryCardEmbedder(store, record, 'new'), old: spaces.includes('old') ? await loadGalleryCardEmbedder(store, record, 'old') : undefined };
  const changes: AddItemsSummary['changes'][number][] = [];
  for (let start = 0; start < todo.length; start += record.shardSize) {
    const chunk = todo.slice(start, start + record.shardSize);
    const bodies = await Promise.all(chunk.map((item) => item.read()));
    const refs = chunk.map((item, i) => ({ sha256: sha256(bodies[i]), bytes: bodies[i].length, ...(item.etag ? { etag: item.etag } : {}) }));
    const embed = async (embedder: typeof embedders.new) => {
      const tensors = [];
      for (const [i, body] of bodies.entries()) tensors.push(await preprocessImage(body, embedder.card, `${uri}/${chunk[i].sourceId}`, options));
      return embedder.embed(tensors);
    };
    const features = { new: await embed(embedders.new), ...(embedders.old ? { old: await embed(embedders.old) } : {}) };
    const sourceIds = chunk.map((item) => item.sourceId);
    const classNames = chunk.map((item) => item.label ?? null);
    const batch = await commitAddedRefBatch(store, record, { source: uri, sourceIds, refs, classNames, features });
    const { entry } = await appendChange(store, galleryId, (now) => draftAdd(store, record, now, log.length, { batch, sourceIds, classNames }, spaces));
    const add = entry as AddEntry; // draftAdd always gives an entry
    changes.push({ seq: add.seq, firstItemId: galleryItemId(add.firstIndex), lastItemId: galleryItemId(add.firstIndex + add.count - 1), count: add.count });
    announceGalleryChange(store.uri, galleryId);
    options.onProgress?.(Math.min(todo.length, start + chunk.length), todo.length, 'adding items');
  }
  return { gallery: galleryId, added: todo.length, alreadyPresent: alreadyPresentIds.length, alreadyPresentIds: alreadyPresentIds.slice(0, 100), spaces, changes };
}
