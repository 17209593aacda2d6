import { z } from 'zod';
import { verifyBatch } from '../../core/store/verify.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('store-verify-batch', z.object({ batch: z.string().min(1) }), ({ batch }, runtime) =>
  verifyBatch(runtime.store, batch),
);
export const handler = fn.handler;
