import { z } from 'zod';
import { recordChunkFailure } from '../../core/dreamgym/teacher/finalise.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'dreamgym-annotate-record-failure',
  z.object({ output: z.string().min(1), chunk: z.number().int().nonnegative(), error: z.string(), cause: z.string().optional() }),
  async (input, runtime) => {
    await recordChunkFailure(runtime.store, input);
    return { chunk: input.chunk, failed: true as const };
  },
);
export const handler = fn.handler;
