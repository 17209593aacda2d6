import { z } from 'zod';
import { recordGroupFailure } from '../../core/dreamgym/train/steps/group-outcomes.ts';
import { defineFunction } from '../define.ts';
import { IterationRefSchema } from './refs.ts';

export const fn = defineFunction(
  'dreamgym-train-record-group-failure',
  IterationRefSchema.extend({ groupIndex: z.number().int().nonnegative(), error: z.string(), cause: z.string().optional() }),
  async (input, runtime) => {
    await recordGroupFailure(runtime.store, input);
    return { status: 'failed' as const, groupIndex: input.groupIndex };
  },
);
export const handler = fn.handler;
