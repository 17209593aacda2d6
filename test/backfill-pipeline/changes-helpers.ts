import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { loadBuiltinDataset } from '../../core/backfill/datasets/builtin.ts';
import { searchGallery } from '../../core/backfill/gallery/search/search-gallery.ts';
import type { SearchResponse } from '../../core/backfill/gallery/search/search-schema.ts';
import type { VectorIndexFactory } from '../../core/backfill/search/index/vector-index.ts';
import { SEARCH_MODES, type SearchMode } from '../../core/backfill/search/search-mode.ts';
import type { Store } from '../../core/store/store.ts';

/** An MNIST image from the end of the dataset (outside the small test gallery's sample) as a folder entry. */
export interface PhotoFile {
  readonly sourceId: string;
  readonly label: number;
  readonly png: Buffer;
}

/** MNIST images `[from, from + count)` of the full set as grayscale PNGs, filed under their digit. */
export async function mnistPhotos(from: number, count: number): Promise<PhotoFile[]> {
  const images = await loadBuiltinDataset('mnist');
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const image = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) {
      const v = images.pixels[n * 784 + p];
      image.data.set([v, v, v, 255], 4 * p);
    }
    return { sourceId: `${images.labels[n]}/m-${n}.png`, label: images.labels[n], png: PNG.sync.write(image, { colorType: 0 }) };
  });
}

export async function writePhotos(dir: string, photos: readonly PhotoFile[]): Promise<string> {
  for (const photo of photos) {
    await mkdir(path.join(dir, path.dirname(photo.sourceId)), { recursive: true });
    await writeFile(path.join(dir, photo.sourceId), photo.png);
  }
  return dir;
}

/** One search per mode with `image` (base64 PNG) or `itemId`, from a freshly refreshed gallery. */
export async function searchEveryMode(
  store: Store, factory: VectorIndexFactory, query: { image?: string; itemId?: string }, k: number,
): Promise<Record<SearchMode, SearchResponse>> {
  const out = {} as Record<SearchMode, SearchResponse>;
  for (const mode of SEARCH_MODES) out[mode] = await searchGallery(store, 'mn', { ...query, mode, k }, { vectorIndex: factory, refreshMs: 0 });
  return out;
}
