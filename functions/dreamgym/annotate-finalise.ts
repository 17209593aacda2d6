import { z } from 'zod';
import { AnnotationJobSchema } from '../../core/dreamgym/teacher/annotate-input.ts';
import { finaliseAnnotation } from '../../core/dreamgym/teacher/finalise.ts';
import { defineFunction } from '../define.ts';

export const fn = defineFunction(
  'dreamgym-annotate-finalise',
  z.object({ job: AnnotationJobSchema }),
  ({ job }, runtime) => finaliseAnnotation(runtime.store, job),
);
export const handler = fn.handler;
