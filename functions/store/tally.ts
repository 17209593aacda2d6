import { z } from 'zod';
import { tallyVerifications, VerificationTotalsSchema } from '../../core/store/tally.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'store-tally',
  z.object({
    totals: VerificationTotalsSchema,
    results: z.array(z.object({ batch: z.string(), ok: z.boolean(), objects: z.number(), bytes: z.number(), problems: z.array(z.string()) })),
  }),
  async ({ totals, results }) => tallyVerifications(totals, results),
);
export const handler = fn.handler;
