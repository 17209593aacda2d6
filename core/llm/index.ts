export * from './chat-model.ts';
export * from './errors.ts';
export * from './openai-chat-model.ts';
export * from './embeddings.ts';
export * from './semaphore.ts';
export * from './retry.ts';
export * from './structured.ts';
export * from './usage.ts';
