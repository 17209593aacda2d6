export * from './embed-shard.ts';
export * from './evaluate-with-progress.ts';
export * from './finalise.ts';
export * from './input.ts';
export * from './next-wave.ts';
export * from './plan.ts';
export * from './refit-psi.ts';
