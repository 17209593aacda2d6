import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { columnData, parquetSchema, type Column, type Row } from './columns.ts';

/**
 * One Parquet file as a byte stream: each batch of rows becomes one row group, and its bytes are handed on as soon
 * as it is encoded, so memory holds one row group at a time whatever the file's size. `onRows` sees each batch's
 * size (the caller counts rows without holding them).
 *
 * @example
 * await store.putStream('exports/x/data.parquet', parquetStream(columns, batches, { key: 'reverie', value: '{}' }));
 */
export async function* parquetStream(
  columns: readonly Column[],
  batches: AsyncIterable<readonly Row[]>,
  metadata: Record<string, string> = {},
): AsyncIterable<Uint8Array> {
  const writer: ByteWriter & { flush?: () => void } = new ByteWriter(1 << 20);
  const pending: Uint8Array[] = [];
  const take = () => {
    // Copy out what was encoded and rewind the buffer; `offset` keeps counting, so file offsets stay right.
    if (writer.index > 0) pending.push(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  writer.flush = take;
  const parquet = new ParquetWriter({
    writer,
    schema: parquetSchema(columns),
    createdBy: 'reverie export (hyparquet-writer)',
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    // hyparquet-writer's types want typed column arrays; the values are checked per column type in columnData.
    parquet.write({ columnData: columnData(columns, rows) as Parameters<ParquetWriter['write']>[0]['columnData'], rowGroupSize: rows.length });
    take();
    yield* pending.splice(0);
  }
  parquet.finish();
  take();
  yield* pending.splice(0);
}
