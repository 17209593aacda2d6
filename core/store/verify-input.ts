import { z } from 'zod';
import { StorePrefixSchema } from '../ids.ts';

/** Input of the `store-verify` workflow. */
export const StoreVerifyInputSchema = z.object({
  prefix: StorePrefixSchema.default('').describe('only batches under this key prefix'),
  pageSize: z.number().int().min(1).max(200).default(100)
    .describe('batches listed (and verified in parallel) per page; at most 200, so a page\'s results fit in one Step Functions state'),
});

/**
 * One segment of a store verification (a child execution) ends after this many pages or batches, whichever comes
 * first: 18 history events a page plus 7 a batch keep it under Step Functions' 25,000.
 */
export const SEGMENT_MAX_PAGES = 300;
export const SEGMENT_MAX_BATCHES = 2000;
