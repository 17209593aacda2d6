import { z } from 'zod';
import { commitEarlyDatasets } from '../../core/early/commit-datasets.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('early-commit-datasets', z.object({ runId: z.string().min(1) }), ({ runId }, runtime) =>
  commitEarlyDatasets(runtime.store, runId));
export const handler = fn.handler;
