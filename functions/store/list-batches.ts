import { z } from 'zod';
import { listCommittedBatches } from '../../core/store/verify.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'store-list-batches',
  z.object({ prefix: z.string().default(''), cursor: z.string().nullable().default(null), pageSize: z.number().int().min(1).max(200).default(100) }),
  ({ prefix, cursor, pageSize }, runtime) => listCommittedBatches(runtime.store, prefix, cursor, pageSize),
);
export const handler = fn.handler;
