import { z } from 'zod';
import { AnnotationJobSchema, ChunkDescriptorSchema } from '../../core/dreamgym/teacher/annotate-input.ts';
import { annotateChunk } from '../../core/dreamgym/teacher/annotate-chunk.ts';
import { defineFunction } from '../define.ts';
import { requireTeacher } from './require-teacher.ts';

// D_k stays empty until the replay buffer can be opened here; annotateChunk already takes a retriever.
export const fn = defineFunction(
  'dreamgym-annotate-chunk',
  z.object({ job: AnnotationJobSchema, chunk: ChunkDescriptorSchema }),
  ({ job, chunk }, runtime) => annotateChunk(runtime.store, requireTeacher(runtime), job, chunk),
);
export const handler = fn.handler;
