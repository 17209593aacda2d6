import { readBatchObject } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { CardEmbedder } from '../models/card-embedder.ts';
import { parseModelCard } from '../models/model-card.ts';
import { InvalidInputError } from '../../errors.ts';
import { requireManifest } from './gallery-batch.ts';
import type { GalleryRecord } from './gallery-record.ts';
import { MODEL_FILES } from './gallery-models.ts';
import { galleryKeys } from './keys.ts';

const embedders = new Map<string, Promise<CardEmbedder>>();

/**
 * The old or new embedder of a streamed gallery, opened from the ONNX copy in the gallery's `models` batch with the
 * card in its record, once per process.
 *
 * @example
 * const embedder = await loadGalleryCardEmbedder(store, record, 'new');
 */
export async function loadGalleryCardEmbedder(store: Store, record: GalleryRecord, role: 'old' | 'new'): Promise<CardEmbedder> {
  if (!record.cards) throw new InvalidInputError(`gallery "${record.id}" has no model cards (it holds decoded images, not source references)`);
  const key = `${store.uri}\n${record.models[role].sha256}`;
  let pending = embedders.get(key);
  if (!pending) {
    const card = parseModelCard(record.cards[role], `gallery "${record.id}" ${role} card`, '/');
    pending = (async () => {
      const manifest = await requireManifest(store, galleryKeys(record.id).models, `models of gallery "${record.id}"`);
      return CardEmbedder.open(card, { bytes: await readBatchObject(store, manifest, MODEL_FILES[role]), intraOpNumThreads: 1 });
    })();
    embedders.set(key, pending);
    pending.catch(() => embedders.delete(key));
  }
  return pending;
}
