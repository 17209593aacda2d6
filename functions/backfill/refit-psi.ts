import { z } from 'zod';
import { BackfillJobSchema } from '../../core/backfill/pipeline/input.ts';
import { refitPsi } from '../../core/backfill/pipeline/refit-psi.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction('backfill-refit-psi', z.object({ job: BackfillJobSchema }), ({ job }, runtime) => refitPsi(runtime.store, job));
export const handler = fn.handler;
