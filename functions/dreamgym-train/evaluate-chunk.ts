import { z } from 'zod';
import { evaluateChunkStep } from '../../core/dreamgym/train/steps/evaluate-chunk.ts';
import { defineFunction } from '../define.ts';
import { trainDeps } from './deps.ts';
import { IterationRefSchema } from './refs.ts';

const ChunkRefSchema = IterationRefSchema.extend({ chunk: z.number().int().nonnegative() });

/** Returns only the chunk's size and interactions: the Map keeps no results, the rewards are in the store. */
export const fn = defineFunction('dreamgym-train-evaluate-chunk', ChunkRefSchema, async (ref, runtime) => {
  const chunk = await evaluateChunkStep(ref, trainDeps(runtime));
  return { chunk: chunk.chunk, episodes: chunk.rewards.length, interactions: chunk.interactions };
});
export const handler = fn.handler;
