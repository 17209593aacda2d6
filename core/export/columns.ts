import type { ParquetWriter } from 'hyparquet-writer';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/** The leaf types an export column can have; each maps to one Parquet physical type and one Hugging Face dtype. */
export const LeafType = { string: 'string', int64: 'int64', int32: 'int32', float64: 'float64', float32: 'float32', bool: 'bool' } as const;
export type LeafType = (typeof LeafType)[keyof typeof LeafType];

export type ColumnType = LeafType | { readonly struct: readonly Column[] } | { readonly list: ColumnType };

/** One typed column of an export: its name, type, and whether a row may leave it null. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly optional?: boolean;
}

export type Row = Record<string, unknown>;

const PARQUET_LEAF: Record<LeafType, Omit<SchemaElement, 'name' | 'repetition_type'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  int64: { type: 'INT64' },
  int32: { type: 'INT32' },
  float64: { type: 'DOUBLE' },
  float32: { type: 'FLOAT' },
  bool: { type: 'BOOLEAN' },
};

/**
 * The Parquet schema of a list of columns: lists use the standard three-level LIST layout
 * (`<name>` LIST → repeated `list` → `element`) that pyarrow, DuckDB, Spark and Hugging Face datasets read as lists.
 *
 * @example
 * parquetSchema([{ name: 'prompt', type: { list: { struct: [{ name: 'role', type: 'string' }, { name: 'content', type: 'string' }] } } }]);
 */
export function parquetSchema(columns: readonly Column[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => elements(c.name, c.type, c.optional === true))];
}

function elements(name: string, type: ColumnType, optional: boolean): SchemaElement[] {
  const repetition_type = optional ? 'OPTIONAL' : 'REQUIRED';
  if (typeof type === 'string') return [{ name, repetition_type, ...PARQUET_LEAF[type] }];
  if ('struct' in type) {
    return [{ name, repetition_type, num_children: type.struct.length }, ...type.struct.flatMap((c) => elements(c.name, c.type, c.optional === true))];
  }
  return [
    { name, repetition_type, converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    ...elements('element', type.list, false),
  ];
}

/** Column-major data for one row group: int64 values become bigint, as the Parquet writer expects. */
export function columnData(columns: readonly Column[], rows: readonly Row[]): { name: string; data: unknown[] }[] {
  return columns.map((c) => ({ name: c.name, data: rows.map((row) => toParquetValue(c.type, row[c.name])) }));
}

function toParquetValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'int64') return BigInt(value as number);
  if (typeof type === 'string') return value;
  if ('struct' in type) {
    const record = value as Row;
    return Object.fromEntries(type.struct.map((c) => [c.name, toParquetValue(c.type, record[c.name])]));
  }
  return (value as unknown[]).map((v) => toParquetValue(type.list, v));
}

const HF_DTYPE: Record<LeafType, string> = { string: 'string', int64: 'int64', int32: 'int32', float64: 'float64', float32: 'float32', bool: 'bool' };

/**
 * The `dataset_info.features` entry of a Hugging Face dataset card, as YAML lines: `dtype` for leaves, `struct` for
 * records, `list` for lists of records and `sequence` for lists of leaves (the forms `datasets` writes itself).
 */
export function hfFeatureLines(columns: readonly Column[], indent = ''): string[] {
  return columns.flatMap((c) => [`${indent}- name: ${c.name}`, ...hfTypeLines(c.type, `${indent}  `)]);
}

function hfTypeLines(type: ColumnType, indent: string): string[] {
  if (typeof type === 'string') return [`${indent}dtype: ${HF_DTYPE[type]}`];
  if ('struct' in type) return [`${indent}struct:`, ...hfFeatureLines(type.struct, indent)];
  const inner = type.list;
  if (typeof inner === 'string') return [`${indent}sequence: ${HF_DTYPE[inner]}`];
  if ('struct' in inner) return [`${indent}list:`, ...hfFeatureLines(inner.struct, indent)];
  return [`${indent}sequence:`, ...hfTypeLines(inner, `${indent}  `)];
}
