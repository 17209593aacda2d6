import { z } from 'zod';
import { StorePrefixSchema } from '../ids.ts';

/** Input of the `store-verify` workflow. */
export const StoreVerifyInputSchema = z.object({
  prefix: StorePrefixSchema.default('').describe('only batches under this key prefix'),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('batches listed (and verified in parallel) per page'),
});
