import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { decodeImage, type DecodeOptions, type ImageShape } from './decode-image.ts';
import { NO_LABEL, type ImageSet } from './image-set.ts';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** An ImageSet decoded from a folder, with the class names its labels index. */
export interface ImageFolder extends ImageSet {
  /** Sub-folder names in sorted order; label `i` is `classes[i]`. Empty for a flat folder. */
  readonly classes: readonly string[];
}

/**
 * Decodes every `.png`, `.jpg` and `.jpeg` file in `directory` into one ImageSet of the given shape. Files in a
 * sub-folder get that sub-folder's class label (sub-folders sorted by name → labels 0, 1, …); files directly in
 * `directory` get NO_LABEL. Ids are paths relative to `directory` with `/` separators, in sorted order. Other files
 * are ignored. An empty, unreadable, undecodable or wrongly shaped image fails the whole call with an
 * InvalidInputError naming that file.
 *
 * @example
 * const set = await decodeImageFolder('photos', { height: 28, width: 28, channels: 1 }, { toGrayscale: true });
 * set.classes; // ['bags', 'shoes'] when photos/ holds those two sub-folders
 */
export async function decodeImageFolder(directory: string, shape: ImageShape, options: DecodeOptions = {}): Promise<ImageFolder> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((cause: unknown) => {
    throw new NotFoundError(`image folder ${directory} could not be read`, { cause });
  });
  const classes = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: { id: string; label: number }[] = entries.filter(isImage).map((e) => ({ id: e.name, label: NO_LABEL }));
  for (const [label, name] of classes.entries()) {
    const inner = await readdir(path.join(directory, name), { withFileTypes: true });
    for (const e of inner) if (isImage(e)) files.push({ id: `${name}/${e.name}`, label });
  }
  files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (files.length === 0) throw new InvalidInputError(`${directory}: no PNG or JPEG images found`);

  const size = shape.height * shape.width * shape.channels;
  const pixels = new Uint8Array(files.length * size);
  for (const [n, file] of files.entries()) {
    const full = path.join(directory, file.id);
    const bytes = await readFile(full).catch((cause: unknown) => {
      throw new InvalidInputError(`${full}: the image file could not be read`, { cause, details: { file: full } });
    });
    pixels.set(decodeImage(bytes, full, shape, options), n * size);
  }
  return {
    ids: files.map((f) => f.id),
    labels: Int32Array.from(files, (f) => f.label),
    pixels,
    ...shape,
    classes: files.some((f) => f.label !== NO_LABEL) ? classes : [],
  };
}

/** Image files by extension; symbolic links count too, so a broken link fails loudly instead of vanishing. */
function isImage(entry: Dirent): boolean {
  return (entry.isFile() || entry.isSymbolicLink()) && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase());
}
