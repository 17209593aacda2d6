import type { Store } from '../store/store.ts';
import { earlySource } from './early-source.ts';
import { embeddingsSource } from './embeddings-source.ts';
import { UnknownDatasetError } from './errors.ts';
import { offlineSource } from './offline-source.ts';
import { rolloutsSource } from './rollouts-source.ts';
import { sftSource } from './sft-source.ts';
import { DatasetKind, type ExportSource } from './source.ts';

const OPENERS: Record<DatasetKind, (store: Store, id: string) => Promise<ExportSource>> = {
  rollouts: rolloutsSource,
  offline: offlineSource,
  sft: sftSource,
  iwm: (store, id) => earlySource(store, id, DatasetKind.iwm),
  sr: (store, id) => earlySource(store, id, DatasetKind.sr),
  embeddings: embeddingsSource,
};

/**
 * Opens the dataset a `<kind>:<id>` names; an unknown kind is `UnknownDatasetError`, a missing dataset the kind's
 * `NotFoundError` naming what writes it.
 *
 * @example
 * const source = await openExportSource(store, 'iwm:early-shop-1');
 */
export async function openExportSource(store: Store, spec: string): Promise<ExportSource> {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon) as DatasetKind;
  const id = spec.slice(colon + 1);
  if (colon <= 0 || !Object.hasOwn(OPENERS, kind) || id === '') throw new UnknownDatasetError(spec, Object.keys(OPENERS));
  return OPENERS[kind](store, id);
}
