import type { z } from 'zod';
import { ConflictError, DataCorruptError, InvalidInputError, NotFoundError } from '../../errors.ts';
import { formatIssue } from '../../store/json.ts';
import { commitBatch, readManifest, type BatchObject, type Manifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';

/**
 * `commitBatch` for a gallery's batches: every manifest carries the ingest fingerprint, and an existing batch from a
 * different ingest is a ConflictError instead of being silently taken as this one's (a re-commit stays a no-op).
 */
export async function commitGalleryBatch(
  store: Store,
  prefix: string,
  objects: readonly BatchObject[],
  meta: { ingest: string } & Record<string, unknown>,
): Promise<Manifest> {
  const manifest = await commitBatch(store, prefix, objects, meta);
  if (manifest.meta.ingest !== meta.ingest) {
    throw new ConflictError(
      `${prefix} was committed by a different ingest (fingerprint ${String(manifest.meta.ingest)}, this one ${meta.ingest}); ` +
        'use another gallery id, or delete that gallery\'s folder first',
    );
  }
  return manifest;
}

/** The manifest of a batch that must be committed; a missing one is a NotFoundError naming `what`. */
export async function requireManifest(store: Store, prefix: string, what: string): Promise<Manifest> {
  const manifest = await readManifest(store, prefix);
  if (!manifest) throw new NotFoundError(`${what} ${prefix} is not committed`);
  return manifest;
}

/** Parses verified JSON bytes of a batch object against its schema; a bad file is an InvalidInputError naming `source`. */
export function parseJsonBytes<T>(bytes: Uint8Array, source: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new DataCorruptError(`${source} is not valid JSON: ${(cause as Error).message}`, { cause, details: { key: source } });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DataCorruptError(`${source} does not match its schema: ${parsed.error.issues.slice(0, 3).map(formatIssue).join('; ')}`);
  return parsed.data;
}
