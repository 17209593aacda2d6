import { z } from 'zod';
import { IdSchema } from '../../ids.ts';

/** Options of the built-in experience model (`experienceModel.options` with kind `builtin`). */
export const BuiltinOptionsSchema = z.object({
  /** The replay buffer the model learns from and retrieves D_k from; one per shop catalog by default. */
  buffer: IdSchema.optional(),
  /** An offline dataset to seed the buffer with first (seeding twice adds nothing). */
  offlineDataset: IdSchema.optional(),
  k: z.number().int().min(1).max(100).optional(),
  learnFrom: z.array(z.enum(['offline', 'rollout', 'branch'])).optional(),
});

/** Options of the LLM experience model (kind `llm`). */
export const LlmOptionsSchema = z.object({
  /** A replay buffer to retrieve D_k from, and to enrich; none by default, the built-in model's when `offlineDataset` is given. */
  buffer: IdSchema.optional(),
  /** An offline dataset to seed the buffer with (`dreamgym run --dataset`): retrieval and enrichment then work. */
  offlineDataset: IdSchema.optional(),
  k: z.number().int().min(1).max(100).optional(),
});

const KNOWN: Record<string, z.ZodType> = { builtin: BuiltinOptionsSchema, llm: LlmOptionsSchema };

/**
 * Checks the options of the experience models Reverie ships when the input is parsed, so a bad buffer or dataset
 * id is refused before a run starts; kinds registered by a user keep their own checks.
 */
export function checkExperienceOptions(value: { kind: string; options: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  const schema = KNOWN[value.kind];
  if (!schema) return;
  const parsed = schema.safeParse(value.options);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['options', ...issue.path] } as never);
}
