import { z } from 'zod';
import { branchChunk } from '../../core/early/branch-chunk.ts';
import { BranchChunkSchema, EarlyJobSchema } from '../../core/early/input.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'early-branch-chunk',
  z.object({ job: EarlyJobSchema, chunk: BranchChunkSchema }),
  async ({ job, chunk }, runtime) => {
    const result = await branchChunk(runtime.store, job, chunk, { policy: runtime.chat('policy') });
    if (!result.reused) {
      for (const diverged of result.diverged) runtime.log.warn('expert trajectory no longer replays; skipped', diverged);
    }
    return result;
  },
);
export const handler = fn.handler;
