import { z } from 'zod';
import { BackfillJobSchema } from '../../core/backfill/pipeline/input.ts';
import { nextWave } from '../../core/backfill/pipeline/next-wave.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'backfill-next-wave',
  z.object({ job: BackfillJobSchema, budget: z.number().int().nonnegative().nullable() }),
  ({ job, budget }, runtime) => nextWave(runtime.store, job, budget),
);
export const handler = fn.handler;
