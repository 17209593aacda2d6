import { z } from 'zod';
import { finaliseBackfill } from '../../core/backfill/pipeline/finalise.ts';
import { BackfillJobSchema } from '../../core/backfill/pipeline/input.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('backfill-finalise', z.object({ job: BackfillJobSchema }), ({ job }, runtime) => finaliseBackfill(runtime.store, job));
export const handler = fn.handler;
