import { z } from 'zod';
import { IdSchema } from '../../ids.ts';

const datasetId = IdSchema;

/**
 * Input of the `dreamgym-annotate` workflow: which offline dataset to annotate with the teacher LLM, and how to fan
 * the work out. The same input always plans the same chunks, which is what makes a re-run resume instead of
 * duplicate.
 */
export const AnnotateInputSchema = z.object({
  dataset: datasetId.describe('offline dataset id (written by `reverie dreamgym offline`)'),
  output: datasetId.optional().describe('id of the SFT dataset to write; `<dataset>-sft` by default'),
  chunkSize: z.number().int().min(1).max(500).default(32).describe('transitions per chunk (whole trajectories, so a chunk may hold a few more)'),
  maxConcurrency: z.number().int().min(1).max(40).default(4).describe('chunks annotated at once'),
  chunkConcurrency: z.number().int().min(1).max(64).default(4).describe('teacher calls in flight within one chunk'),
  maxTransitions: z.number().int().min(1).optional().describe('annotate only the first trajectories, up to about this many transitions'),
  maxHistorySteps: z.number().int().min(0).optional().describe('history steps kept in each prompt; all by default'),
  temperature: z.number().min(0).max(2).default(0).describe('teacher sampling temperature'),
  buffer: datasetId.optional().describe('replay buffer whose similar transitions (D_k) go into each prompt; none by default'),
  embedder: z.enum(['hashed', 'openai', 'onnx']).default('hashed')
    .describe('the replay buffer\'s embedder: hashed, openai (the embeddings role) or onnx (the model REVERIE_TEXT_EMBEDDER_ONNX names; a request never names a file)'),
  k: z.number().int().min(0).max(16).default(3).describe('retrieved transitions per prompt'),
});
export type AnnotateInput = z.infer<typeof AnnotateInputSchema>;

/** The resolved input the plan hands to every later state: defaults filled in, the source env and teacher model named. */
export const AnnotationJobSchema = z.object({
  dataset: z.string(),
  output: z.string(),
  env: z.string(),
  teacherModel: z.string(),
  chunkSize: z.number().int(),
  chunkConcurrency: z.number().int(),
  maxTransitions: z.number().int().optional(),
  maxHistorySteps: z.number().int().optional(),
  temperature: z.number(),
  buffer: z.string().optional(),
  embedder: z.string().default('hashed'),
  k: z.number().int().default(3),
});
export type AnnotationJob = z.infer<typeof AnnotationJobSchema>;

/** A chunk: a range of whole trajectories inside one part of the offline dataset. */
export const ChunkDescriptorSchema = z.object({
  index: z.number().int().nonnegative(),
  part: z.string(),
  /** First trajectory (index among the part's well-formed records), inclusive. */
  start: z.number().int().nonnegative(),
  /** Last trajectory, exclusive. */
  end: z.number().int().nonnegative(),
  transitions: z.number().int().nonnegative(),
});
export type ChunkDescriptor = z.infer<typeof ChunkDescriptorSchema>;
