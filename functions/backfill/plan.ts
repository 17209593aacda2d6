import { z } from 'zod';
import { BackfillInputSchema } from '../../core/backfill/pipeline/input.ts';
import { planBackfill } from '../../core/backfill/pipeline/plan.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'backfill-plan',
  z.object({ input: BackfillInputSchema, executionId: z.string().min(1) }),
  ({ input, executionId }, runtime) => planBackfill(runtime.store, input, executionId),
);
export const handler = fn.handler;
