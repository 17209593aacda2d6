import { InvalidInputError } from '../../errors.ts';
import { readBatchObject, readManifest } from '../../store/batch.ts';
import type { Store } from '../../store/store.ts';
import { offlineDatasetPrefix } from '../offline/dataset-store.ts';
import { parseTrajectoryJsonl, type ParsedRecords } from '../offline/parse-records.ts';

/** The object name `writeOfflineDataset` commits each part under. */
const PART_FILE = 'trajectories.jsonl';

/**
 * One committed part of an offline dataset, parsed. The plan and every chunk read the same checksummed bytes, so
 * record indices agree between them; malformed lines come back with their key and line, never dropped silently.
 *
 * @example
 * const { records, malformed } = await readOfflinePart(store, 'shop-s1', 'part-00002');
 */
export async function readOfflinePart(store: Store, dataset: string, part: string): Promise<ParsedRecords> {
  const batch = `${offlineDatasetPrefix(dataset)}/${part}`;
  const manifest = await readManifest(store, batch);
  if (!manifest) throw new InvalidInputError(`offline dataset "${dataset}" lists part "${part}", which is not committed`);
  const text = new TextDecoder().decode(await readBatchObject(store, manifest, PART_FILE));
  return parseTrajectoryJsonl(text, { source: `${batch}/${PART_FILE}` });
}
