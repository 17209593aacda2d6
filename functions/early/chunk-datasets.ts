import { z } from 'zod';
import { buildChunkDatasets } from '../../core/early/chunk-datasets.ts';
import { BranchChunkSchema, EarlyJobSchema } from '../../core/early/input.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'early-chunk-datasets',
  z.object({ job: EarlyJobSchema, chunk: BranchChunkSchema }),
  ({ job, chunk }, runtime) => buildChunkDatasets(runtime.store, job, chunk, { teacher: runtime.chat('teacher') }),
);
export const handler = fn.handler;
