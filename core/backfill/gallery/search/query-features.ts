import type { Store } from '../../../store/store.ts';
import type { ImageSet } from '../../datasets/image-set.ts';
import type { QueryFeatureSet } from '../../search/merged-search.ts';
import { SearchMode } from '../../search/search-mode.ts';
import { loadGalleryEmbedder } from '../gallery-models.ts';
import type { LoadedGallery } from './loaded-gallery.ts';

/** The same session options as the backfill's shard step, so a process running both shares one session per model. */
const SESSION = { batchSize: 256, intraOpNumThreads: 1 } as const;

/**
 * Embeds a query the ways `mode` needs (see `SearchMode`): only the models that mode runs on the query. For
 * `rt-merge` before any ψ exists (online ψ, nothing backfilled yet), the old model's query feature stands in for
 * ψ(φ_new(q)), exactly as the evaluation's 0% point does.
 *
 * @example
 * const { features } = await embedQuery(store, gallery, query.image, 'rt-merge'); // { new, psi }
 */
export async function embedQuery(store: Store, gallery: LoadedGallery, image: ImageSet, mode: SearchMode): Promise<{ features: QueryFeatureSet; psi: string }> {
  const { record } = gallery;
  const embed = async (role: 'old' | 'new') => (await loadGalleryEmbedder(store, record, role, SESSION)).embedImages(image);
  switch (mode) {
    case SearchMode.old:
      return { features: { old: await embed('old') }, psi: 'not used' };
    case SearchMode.naive:
      return { features: { new: await embed('new') }, psi: 'not used' };
    case SearchMode.rankMerge:
      return { features: { old: await embed('old'), new: await embed('new') }, psi: 'not used' };
    default: {
      const features = await embed('new');
      if (gallery.psi) return { features: { new: features, psi: await gallery.psi.apply(features) }, psi: describePsi(gallery) };
      return { features: { new: features, psi: await embed('old') }, psi: 'none yet: the old model embeds the query for the old part' };
    }
  }
}

/** How the gallery's current ψ was obtained, for search responses. */
export function describePsi(gallery: LoadedGallery): string {
  const state = gallery.psiState;
  if (state.source === 'online') {
    const added = state.addedPairs ? `, ${state.addedPairs} of them added during the backfill` : '';
    return `online ${state.method} fit on ${state.pairs} backfilled items (${state.shards} shards${added})`;
  }
  return 'trained ψ given at ingest';
}
