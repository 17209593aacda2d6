import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { FileStore, TEMP_DIR } from '../../store/file-store.ts';
import type { Store } from '../../store/store.ts';
import { isBuiltinDataset, loadBuiltinDataset } from '../datasets/builtin.ts';
import { FASHION_MNIST_CLASSES } from '../datasets/fashion-mnist.ts';
import { NO_LABEL } from '../datasets/image-set.ts';

/** One image of a source, listed but not read: reading happens when (and each time) `read()` is called. */
export interface SourceItem {
  /** The path relative to the folder, the key under the prefix, or `<index>` of a built-in dataset. */
  readonly sourceId: string;
  /** The class: the first sub-folder of the path (or the built-in class name); absent for top-level files. */
  readonly label?: string;
  /** Bytes as listed (0 when unknown). */
  readonly size: number;
  /** S3's ETag when the source is an S3 prefix; otherwise absent (the ingest records a content hash). */
  readonly etag?: string;
  read(): Promise<Buffer>;
}

/** Opens the store of an `s3://bucket/prefix` URI (an adapter: core has no S3 client). */
export type OpenSourceStore = (uri: string) => Store;

export interface ReadSourceOptions {
  /** Items per page. Default 256. */
  readonly pageSize?: number;
  /** Needed for `s3://` sources; folders open a FileStore themselves. */
  readonly openStore?: OpenSourceStore;
  /**
   * Whether items must come in key order (default true). A caller that reorders them itself (the seeded shard
   * order) passes false: a folder is then walked as the file system lists it, a few entries at a time, instead of
   * sorting each directory's whole listing in memory (a directory of 250,000 photos held 470 MB); an S3 prefix lists
   * in key order either way.
   */
  readonly ordered?: boolean;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));

/** The source's kind, as written into a gallery record. */
export function describeSource(source: string): { kind: 'folder' | 's3' | 'builtin'; uri: string } {
  if (source.startsWith('s3://')) return { kind: 's3', uri: source.replace(/\/+$/, '') };
  if (isBuiltinDataset(source)) return { kind: 'builtin', uri: source };
  return { kind: 'folder', uri: path.resolve(source) };
}

/**
 * Lists a gallery source in pages, in key order, without reading any image: a folder (recursively; the first
 * sub-folder is the label), an `s3://bucket/prefix` (the same under the prefix, through `openStore`), or a built-in
 * dataset (`fashion-mnist`, `mnist`, whose images are served as PNGs). Only `.png`, `.jpg`, `.jpeg` and `.webp`
 * files count; a source with none is an InvalidInputError naming it.
 *
 * @example
 * for await (const page of readImageSource('photos/', { pageSize: 100 })) {
 *   for (const item of page) console.log(item.sourceId, item.label, (await item.read()).length);
 * }
 */
export async function* readImageSource(source: string, options: ReadSourceOptions = {}): AsyncIterable<SourceItem[]> {
  const pageSize = options.pageSize ?? 256;
  if (!(Number.isInteger(pageSize) && pageSize > 0)) throw new InvalidInputError(`page size must be a positive integer, got ${pageSize}`);
  const { kind, uri } = describeSource(source);
  if (kind === 'builtin') {
    yield* builtinPages(uri, pageSize);
    return;
  }
  const store = openSourceStore(kind, uri, options.openStore);
  const listing = kind === 'folder' && options.ordered === false ? walkFolder(uri) : store.list('');
  let page: SourceItem[] = [];
  let found = 0;
  try {
    for await (const object of listing) {
      if (!IMAGE_EXTENSIONS.has(path.extname(object.key).toLowerCase())) continue;
      const slash = object.key.indexOf('/');
      const key = object.key;
      page.push({
        sourceId: key, size: object.size, ...(slash > 0 ? { label: key.slice(0, slash) } : {}), ...(object.etag ? { etag: object.etag } : {}),
        read: () => readObject(store, key),
      });
      found++;
      if (page.length === pageSize) {
        yield page;
        page = [];
      }
    }
  } catch (cause) {
    if (cause instanceof InvalidInputError || cause instanceof NotFoundError) throw cause;
    throw new NotFoundError(`image source ${uri} could not be listed (${(cause as Error).message})`, { cause });
  }
  if (page.length > 0) yield page;
  if (found === 0) throw new InvalidInputError(`${uri}: no PNG, JPEG or WebP images found`);
}

/**
 * A folder's files in the order the file system lists them (`fs.opendir`, a few entries at a time), depth first, as
 * the keys and sizes `FileStore.list` gives (its `.tmp` folder left out): memory does not grow with a directory's size.
 */
async function* walkFolder(root: string, dirKey = ''): AsyncIterable<{ key: string; size: number; etag?: string }> {
  let dir: import('node:fs').Dir;
  try {
    dir = await opendir(dirKey === '' ? root : path.join(root, dirKey));
  } catch (error) {
    // A folder that is not there lists nothing, as FileStore.list: the caller names the source that holds no image
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  for await (const entry of dir) {
    if (dirKey === '' && entry.name === TEMP_DIR) continue;
    const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
    if (entry.isDirectory()) yield* walkFolder(root, key);
    else if (entry.isFile()) yield { key, size: (await stat(path.join(root, key))).size };
  }
}

/** Reads one item of a source by its source id (re-embedding reads the source again). */
export function openSourceItem(source: string, sourceId: string, openStore?: OpenSourceStore): Promise<Buffer> {
  const { kind, uri } = describeSource(source);
  if (kind === 'builtin') throw new InvalidInputError(`built-in dataset items are not read one by one (${sourceId})`);
  return readObject(openSourceStore(kind, uri, openStore), sourceId);
}

const stores = new Map<string, Store>();

function openSourceStore(kind: 'folder' | 's3', uri: string, open?: OpenSourceStore): Store {
  let store = stores.get(uri);
  if (store) return store;
  if (kind === 'folder') store = new FileStore(uri);
  else if (open) store = open(uri);
  else throw new InvalidInputError(`${uri}: reading an s3:// source needs an S3 client (run through the CLI, the API or a handler)`);
  stores.set(uri, store);
  return store;
}

async function readObject(store: Store, key: string): Promise<Buffer> {
  try {
    const bytes = await store.get(key);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (cause) {
    throw new NotFoundError(`${store.uri}/${key}: the image could not be read (${(cause as Error).message})`, { cause, details: { file: key } });
  }
}

async function* builtinPages(name: string, pageSize: number): AsyncIterable<SourceItem[]> {
  const set = await loadBuiltinDataset(name);
  const classes = name === 'fashion-mnist' ? FASHION_MNIST_CLASSES : DIGITS;
  const size = set.height * set.width * set.channels;
  for (let start = 0; start < set.ids.length; start += pageSize) {
    const page: SourceItem[] = [];
    for (let i = start; i < Math.min(set.ids.length, start + pageSize); i++) {
      const label = set.labels[i];
      page.push({
        sourceId: set.ids[i], size, ...(label === NO_LABEL ? {} : { label: classes[label] }),
        read: async () => {
          const png = new PNG({ width: set.width, height: set.height, colorType: 0, inputColorType: 0, bitDepth: 8 });
          png.data = Buffer.from(set.pixels.subarray(i * size, (i + 1) * size));
          return PNG.sync.write(png, { colorType: 0, inputColorType: 0 });
        },
      });
    }
    yield page;
  }
}
