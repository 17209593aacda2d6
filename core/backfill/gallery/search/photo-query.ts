import { InvalidInputError, NotFoundError } from '../../../errors.ts';
import type { Store } from '../../../store/store.ts';
import { NO_LABEL } from '../../datasets/image-set.ts';
import { preprocessImage, type ImageLimits } from '../../images/preprocess.ts';
import type { QueryFeatureSet } from '../../search/merged-search.ts';
import { SearchMode } from '../../search/search-mode.ts';
import { openSourceItem, type OpenSourceStore } from '../../sources/image-source.ts';
import { loadGalleryCardEmbedder } from '../card-models.ts';
import { ItemPart, parseItemId } from '../keys.ts';
import type { LoadedGallery } from './loaded-gallery.ts';
import { describePsi } from './query-features.ts';
import { decodeBase64Image, type QueryImage } from './query-image.ts';

export interface PhotoQueryOptions extends ImageLimits {
  readonly openStore?: OpenSourceStore;
}

/**
 * The query of a search in a streamed gallery, embedded the ways `mode` needs: a stored item (read again from the
 * source) or uploaded bytes, preprocessed per model card. Mirrors `resolveQueryImage` + `embedQuery`.
 *
 * @example
 * const { features } = await embedPhotoQuery(store, gallery, { image: base64Jpeg }, 'rt-merge', { openStore });
 */
export async function embedPhotoQuery(
  store: Store, gallery: LoadedGallery, query: { itemId?: string; image?: string }, mode: SearchMode, options: PhotoQueryOptions = {},
): Promise<{ query: Omit<QueryImage, 'image'>; features: QueryFeatureSet; psi: string }> {
  const { record } = gallery;
  if (record.source.kind !== 'stream') throw new InvalidInputError(`gallery "${record.id}" is not a streamed photo gallery`);
  let bytes: Uint8Array;
  let about: Omit<QueryImage, 'image'> = { id: null, sourceId: null, label: null };
  if (query.itemId !== undefined) {
    const ref = parseItemId(query.itemId) ?? gallery.lookup.get(query.itemId);
    const list = ref?.part === ItemPart.query ? gallery.queries : gallery.items;
    if (!ref || ref.index >= list.ids.length) throw new NotFoundError(`gallery "${record.id}" has no item "${query.itemId}"`);
    const label = list.labels[ref.index];
    about = { id: list.ids[ref.index], sourceId: list.sourceIds[ref.index], label: label === NO_LABEL ? null : label };
    bytes = await openSourceItem(record.source.uri, list.sourceIds[ref.index], options.openStore);
  } else if (query.image !== undefined) {
    bytes = decodeBase64Image(query.image);
  } else {
    throw new InvalidInputError('a search needs a query: itemId or image');
  }
  const source = about.sourceId ?? 'uploaded image';
  const embed = async (role: 'old' | 'new') => {
    const embedder = await loadGalleryCardEmbedder(store, record, role);
    return embedder.embed([await preprocessImage(bytes, embedder.card, source, options)]);
  };
  switch (mode) {
    case SearchMode.old:
      return { query: about, features: { old: await embed('old') }, psi: 'not used' };
    case SearchMode.naive:
      return { query: about, features: { new: await embed('new') }, psi: 'not used' };
    case SearchMode.rankMerge:
      return { query: about, features: { old: await embed('old'), new: await embed('new') }, psi: 'not used' };
    default: {
      const features = await embed('new');
      if (gallery.psi) return { query: about, features: { new: features, psi: await gallery.psi.apply(features) }, psi: describePsi(gallery) };
      return { query: about, features: { new: features, psi: await embed('old') }, psi: 'none yet: the old model embeds the query for the old part' };
    }
  }
}
