export * from './store.ts';
export * from './keys.ts';
export * from './uri.ts';
export * from './file-store.ts';
export * from './json.ts';
export * from './batch.ts';
export * from './streamed-batch.ts';
