type Listener = (storeUri: string, galleryId: string) => void;

const listeners = new Set<Listener>();

/**
 * In-process notices that a gallery's committed state moved (a shard backfilled, ψ refitted, the backfill
 * finalised), so a search cache in the same process refreshes at once instead of at its next store check.
 *
 * @example
 * const stop = onGalleryChange((storeUri, galleryId) => console.log('moved on:', galleryId));
 */
export function onGalleryChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceGalleryChange(storeUri: string, galleryId: string): void {
  for (const listener of listeners) listener(storeUri, galleryId);
}
