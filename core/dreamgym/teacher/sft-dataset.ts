import { NotFoundError } from '../../errors.ts';
import { readBatchObject, readManifest } from '../../store/batch.ts';
import { getJsonIfExists } from '../../store/json.ts';
import type { Store } from '../../store/store.ts';
import { SftDatasetDescriptorSchema, type SftDatasetDescriptor } from './finalise.ts';
import { SFT_RECORDS_FILE, sftChunkPrefix, sftDescriptorKey } from './sft-keys.ts';
import { ExperienceSftRecordSchema, type ExperienceSftRecord } from './sft-record.ts';

/** The descriptor of an SFT dataset, or NotFoundError naming the workflow that writes one. */
export async function readSftDatasetInfo(store: Store, id: string): Promise<SftDatasetDescriptor> {
  const descriptor = await getJsonIfExists(store, sftDescriptorKey(id), SftDatasetDescriptorSchema);
  if (!descriptor) throw new NotFoundError(`no SFT dataset "${id}" in ${store.uri} (write one with the dreamgym-annotate workflow)`);
  return descriptor;
}

/**
 * Every record of an SFT dataset, chunk by chunk in plan order, each checked against its chunk's manifest and the
 * record schema. Use it to export one JSONL file for a trainer.
 *
 * @example
 * const { descriptor, records } = await readSftDataset(store, 'shop-s1-sft');
 * await fs.writeFile('train.jsonl', toJsonl(records.map(({ messages }) => ({ messages }))));
 */
export async function readSftDataset(store: Store, id: string): Promise<{ descriptor: SftDatasetDescriptor; records: ExperienceSftRecord[] }> {
  const descriptor = await readSftDatasetInfo(store, id);
  const records: ExperienceSftRecord[] = [];
  for (let chunk = 0; chunk < descriptor.chunks; chunk++) {
    const manifest = await readManifest(store, sftChunkPrefix(id, chunk));
    if (!manifest) continue;
    const text = new TextDecoder().decode(await readBatchObject(store, manifest, SFT_RECORDS_FILE));
    for (const line of text.split('\n')) if (line.trim() !== '') records.push(ExperienceSftRecordSchema.parse(JSON.parse(line)));
  }
  return { descriptor, records };
}
