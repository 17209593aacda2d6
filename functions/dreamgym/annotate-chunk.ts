import { z } from 'zod';
import { openTextEmbedder } from '../../core/dreamgym/embed/open-embedder.ts';
import { ReplayBuffer } from '../../core/dreamgym/replay/index.ts';
import { embedderSpec } from '../../core/dreamgym/setup/embedder-choice.ts';
import { AnnotationJobSchema, ChunkDescriptorSchema } from '../../core/dreamgym/teacher/annotate-input.ts';
import { annotateChunk } from '../../core/dreamgym/teacher/annotate-chunk.ts';
import { defineFunction } from '../define.ts';
import { requireTeacher } from './require-teacher.ts';

export const fn = defineFunction(
  'dreamgym-annotate-chunk',
  z.object({ job: AnnotationJobSchema, chunk: ChunkDescriptorSchema }),
  async ({ job, chunk }, runtime) => {
    const retriever = job.buffer
      ? await ReplayBuffer.open({ store: runtime.store, id: job.buffer, embedder: await openTextEmbedder(embedderSpec(job.embedder, runtime.config)) })
      : undefined;
    return annotateChunk(runtime.store, requireTeacher(runtime), job, chunk, { retriever, k: job.k });
  },
);
export const handler = fn.handler;
