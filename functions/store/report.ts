import { z } from 'zod';
import { VerificationTotalsSchema } from '../../core/store/tally.ts';
import { reportVerification } from '../../core/store/verify-report.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'store-verify-report',
  z.object({ prefix: z.string(), totals: VerificationTotalsSchema, executionName: z.string().min(1) }),
  (input, runtime) => reportVerification(runtime.store, input),
);
export const handler = fn.handler;
