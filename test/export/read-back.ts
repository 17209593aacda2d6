import path from 'node:path';
import { openStore } from '../../adapters/runtime.ts';
import type { Runtime } from '../../adapters/runtime.ts';
import { exportDataset } from '../../core/export/export-dataset.ts';
import { tempDir } from '../helpers/runtime.ts';
import { duckdbRows } from './duckdb.ts';

export const TABULAR_FORMATS = ['parquet', 'hf', 'jsonl'] as const;

/**
 * Exports `dataset` in `format` to a fresh folder and reads every row back with DuckDB: `read_parquet` over the
 * Parquet file or the Hugging Face shards, `read_json` over JSON Lines, in the order `orderBy` names.
 */
export async function exportAndReadBack(
  runtime: Runtime,
  dataset: string,
  format: (typeof TABULAR_FORMATS)[number],
  orderBy: string,
): Promise<{ rows: Record<string, unknown>[]; dir: string }> {
  const dir = path.join(await tempDir('reverie-export-'), format);
  await exportDataset(runtime.store, openStore({ ...runtime.config, store: `file://${dir}` }), { dataset, format, rowGroupRows: 5, shardRows: 7 });
  const from = format === 'parquet' ? `read_parquet('${dir}/data.parquet')`
    : format === 'hf' ? `read_parquet('${dir}/data/train-*.parquet')`
      : `read_json('${dir}/data.jsonl', format = 'newline_delimited')`;
  return { rows: await duckdbRows(`SELECT * FROM ${from} ORDER BY ${orderBy}`), dir };
}
