import { AnnotateInputSchema } from '../../core/dreamgym/teacher/annotate-input.ts';
import { planAnnotation } from '../../core/dreamgym/teacher/plan.ts';
import { defineFunction } from '../define.ts';
import { requireTeacher } from './require-teacher.ts';

export const fn = defineFunction('dreamgym-annotate-plan', AnnotateInputSchema, (input, runtime) =>
  planAnnotation(runtime.store, input, requireTeacher(runtime)),
);
export const handler = fn.handler;
