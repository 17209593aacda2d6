import { z } from 'zod';
import { AnnotationJobSchema } from '../../core/dreamgym/teacher/annotate-input.ts';
import { ChunkOutcomeSchema, finaliseAnnotation } from '../../core/dreamgym/teacher/finalise.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'dreamgym-annotate-finalise',
  z.object({ job: AnnotationJobSchema, results: z.array(ChunkOutcomeSchema) }),
  ({ job, results }, runtime) => finaliseAnnotation(runtime.store, job, results),
);
export const handler = fn.handler;
