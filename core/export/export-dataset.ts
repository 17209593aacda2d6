import type { Manifest } from '../store/batch.ts';
import { commitStreamedBatch, type PutObject } from '../store/streamed-batch.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './columns.ts';
import { datasetCard } from './dataset-card.ts';
import { ExportCountMismatchError, ExportError, ExportTargetExistsError, UnknownFormatError } from './errors.ts';
import { parquetStream } from './parquet-stream.ts';
import { jsonlStream, rebatch, shardTaker } from './row-streams.ts';
import { openExportSource } from './sources.ts';
import type { ExportSource } from './source.ts';

export const ExportFormat = { parquet: 'parquet', hf: 'hf', jsonl: 'jsonl', art: 'art' } as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

export interface ExportOptions {
  /** `<kind>:<id>`, e.g. `rollouts:run-1`, `sft:shop-s1-sft`, `embeddings:fashion/new`. */
  readonly dataset: string;
  readonly format: string;
  /** Rows per Parquet row group (and per JSONL write): what an export holds in memory at once. */
  readonly rowGroupRows?: number;
  /** Rows per Hugging Face shard file. */
  readonly shardRows?: number;
}

export interface ExportResult {
  readonly dataset: string;
  readonly format: ExportFormat;
  readonly target: string;
  readonly rows: number;
  readonly objects: Manifest['objects'];
}

/**
 * Exports one stored dataset to `target` (a store opened at the `--to` URI, written from its root) as Parquet, a
 * Hugging Face dataset folder, JSONL or ART trajectory groups. Source parts are read one at a time and written as
 * row groups, so memory stays flat with the dataset's size. The files and then a manifest are committed as one
 * batch: a failed export commits nothing and removes what it wrote, and a target holding anything is refused.
 *
 * @example
 * await exportDataset(store, openStore({ ...config, store: 'file:///tmp/run-1-verl' }), { dataset: 'rollouts:run-1', format: 'parquet' });
 */
export async function exportDataset(source: Store, target: Store, options: ExportOptions): Promise<ExportResult> {
  const format = parseFormat(options.format);
  const dataset = await openExportSource(source, options.dataset);
  if (format === ExportFormat.art && !dataset.groups) throw new ExportError(`the art format holds trajectory groups; ${dataset.kind} datasets have none (use rollouts:<run>)`);
  for await (const _ of target.list('')) throw new ExportTargetExistsError(target.uri);
  const counter = { rows: 0 };
  const rowGroupRows = options.rowGroupRows ?? 1000;
  const rows = () => rebatch(dataset.batches(), rowGroupRows, counter);
  const kv = { reverie: JSON.stringify({ dataset: options.dataset, ...dataset.provenance }) };
  try {
    const manifest = await commitStreamedBatch(target, '', async (put) => {
      if (format === ExportFormat.parquet) await put('data.parquet', parquetStream(dataset.columns, rows(), kv));
      if (format === ExportFormat.jsonl) await put('data.jsonl', jsonlStream(rows()));
      if (format === ExportFormat.art) await put('groups.jsonl', jsonlStream(artGroupsCounted(dataset, counter)));
      if (format === ExportFormat.hf) await writeHfFolder(dataset, put, rows(), counter, { shardRows: options.shardRows ?? 100_000, kv, storeUri: source.uri });
      if (counter.rows !== dataset.rows) throw new ExportCountMismatchError(options.dataset, counter.rows, dataset.rows);
      return { dataset: options.dataset, format, rows: counter.rows, columns: dataset.columns.map((c) => c.name), provenance: dataset.provenance };
    });
    return { dataset: options.dataset, format, target: target.uri, rows: counter.rows, objects: manifest.objects };
  } catch (error) {
    for await (const info of target.list('')) await target.delete(info.key);
    throw error;
  }
}

function parseFormat(format: string): ExportFormat {
  const known = Object.values(ExportFormat) as string[];
  if (!known.includes(format)) throw new UnknownFormatError(format, known);
  return format as ExportFormat;
}

async function* artGroupsCounted(dataset: ExportSource, counter: { rows: number }) {
  for await (const groups of dataset.groups!()) {
    for (const group of groups) counter.rows += group.trajectories.length;
    yield groups;
  }
}

async function writeHfFolder(
  dataset: ExportSource,
  put: PutObject,
  rows: AsyncIterable<Row[]>,
  counter: { rows: number },
  options: { shardRows: number; kv: Record<string, string>; storeUri: string },
): Promise<void> {
  const { shardRows, kv, storeUri } = options;
  const shardCount = Math.max(1, Math.ceil(dataset.rows / shardRows));
  const take = shardTaker(rows[Symbol.asyncIterator]());
  const shards: string[] = [];
  let bytes = 0;
  for (let shard = 0; shard < shardCount; shard++) {
    const name = `data/train-${String(shard).padStart(5, '0')}-of-${String(shardCount).padStart(5, '0')}.parquet`;
    bytes += (await put(name, parquetStream(dataset.columns, take(shardRows), kv))).size;
    shards.push(name);
  }
  // Rows beyond the stated count are read (and counted) so the count check sees them; they are not written.
  for await (const _ of take(Number.POSITIVE_INFINITY));
  const card = datasetCard(dataset, { split: 'train', rows: counter.rows, bytes, shards, storeUri, exportedAt: new Date().toISOString() });
  await put('README.md', (async function* () { yield new TextEncoder().encode(card); })());
}
