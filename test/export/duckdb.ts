import { DuckDBInstance } from '@duckdb/node-api';

/** Plain JS values from DuckDB's: BIGINT as number (the tests' values are far below 2^53), structs and lists as is. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * Runs one SQL query in a fresh in-memory DuckDB and returns its rows as plain objects: the independent reader the
 * export tests read Parquet and JSON Lines back with (DuckDB's own C++ Parquet reader, not the writer's library).
 */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => plain(row) as Record<string, unknown>);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The column names and DuckDB types of what a query returns. */
export async function duckdbColumns(sql: string): Promise<Record<string, string>> {
  const rows = await duckdbRows(`DESCRIBE ${sql}`);
  return Object.fromEntries(rows.map((r) => [r.column_name as string, r.column_type as string]));
}
