export * from './add-items.ts';
export * from './added-batch.ts';
export * from './change-log.ts';
export * from './delete-items.ts';
export * from './gallery-contents.ts';
export * from './items-to-add.ts';
export * from './membership.ts';
