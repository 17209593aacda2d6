export * from './columns.ts';
export * from './errors.ts';
export * from './export-dataset.ts';
export * from './parquet-stream.ts';
export * from './source.ts';
export * from './sources.ts';
